using System.Text.Json;

namespace Telephony.Interop.Tests.Recording;

/// <summary>
/// Missed calls reach a webhook: signed (HMAC-SHA256), with the caller's number, retried while the receiver is down,
/// and delivered after it comes back across a server restart, once per alert (one idempotency key each).
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class MissedCallAlertTests(ITestOutputHelper output)
{
    private const string Secret = "interop-secret";
    private readonly PortBlock ports = PortAllocator.For<MissedCallAlertTests>();

    [Fact]
    public async Task CallerCancelsWhileRinging_AlertDelivered_ReceiverDown_RetriedAndDeliveredAfterRestart()
    {
        string data = RepoPaths.NewTempDirectory("alert-data");
        string dir = RepoPaths.NewTempDirectory("alert-audio");
        await using var receiver = new WebhookReceiver(ports.PeerSip(7));
        var env = new Dictionary<string, string?>
        {
            ["TELEPHONY_WEBHOOKS__0__NAME"] = "test",
            ["TELEPHONY_WEBHOOKS__0__URL"] = receiver.Url.ToString(),
            ["TELEPHONY_WEBHOOKS__0__SECRET"] = Secret,
            ["TELEPHONY_ALERTS__RETRYINITIALSECONDS"] = "1",
            ["TELEPHONY_ALERTS__RETRYMAXSECONDS"] = "2",
        };
        receiver.Start();

        // 1. The caller (1001) cancels while 1002 rings: an Abandoned call and a missed-call alert.
        ServerProcess first = await RecordingApi.StartAsync(ports, data, output, env);
        await using (first)
        {
            await using BaresipPeer phone = await RecordingApi.PhoneAsync(first, ports, 1, "1002", TestAudio.Tone(440, 2, Path.Combine(dir, "b.wav")), false, output);
            SippResult cancel = await Sipp.RunAsync(new SippOptions
            {
                Scenario = "uac-cancel", Remote = first.SipHostPort, Service = "1002", LocalPort = ports.PeerSip(0), MediaPort = ports.PeerMedia(0),
                AuthUser = "1001", AuthPassword = RecordingApi.Password("1001"), AuthUri = $"1002@{first.SipHostPort}",
                DefaultPause = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(20), RecvTimeout = TimeSpan.FromSeconds(10),
            });
            Assert.True(cancel.Succeeded, cancel.Describe() + "\n" + first.Describe());
            Assert.True(phone.Log.Contains("Incoming call"), "1002 never rang\n" + phone.Log.Tail(20));

            WebhookDelivery missed = await receiver.WaitForAsync(d => d.Body.Contains("\"caller\":\"1001\"", StringComparison.Ordinal),
                TimeSpan.FromSeconds(10), () => first.Describe());
            using (JsonDocument doc = JsonDocument.Parse(missed.Body))
            {
                Assert.Equal("missed_call", doc.RootElement.GetProperty("kind").GetString());
                Assert.Equal("1002", doc.RootElement.GetProperty("dialed").GetString());
                Assert.Equal("Abandoned", doc.RootElement.GetProperty("outcome").GetString());
            }

            Assert.True(missed.SignatureValid(Secret), $"bad signature {missed.Signature} for {missed.Body}");
            Assert.False(missed.SignatureValid("wrong-secret"));
            Assert.False(string.IsNullOrEmpty(missed.IdempotencyKey));
            JsonElement cdr = await RecordingApi.ClosedCallAsync(first, "1001", TimeSpan.FromSeconds(5));
            Assert.Equal("Abandoned", cdr.GetProperty("outcome").GetString());
            Assert.Equal("Caller", cdr.GetProperty("hangupSide").GetString());

            // 2. Receiver down; a call to an unregistered extension (1004) is missed too: the delivery fails and is retried.
            await receiver.StopAsync();
            SippResult unavailable = await Sipp.RunAsync(new SippOptions
            {
                Scenario = "uac-status", Remote = first.SipHostPort, Service = "1004", LocalPort = ports.PeerSip(0), MediaPort = ports.PeerMedia(0),
                AuthUser = "1003", AuthPassword = RecordingApi.Password("1003"), AuthUri = $"1004@{first.SipHostPort}",
                Tokens = new Dictionary<string, string> { ["@STATUS@"] = "480" },
                Timeout = TimeSpan.FromSeconds(20), RecvTimeout = TimeSpan.FromSeconds(10),
            });
            Assert.True(unavailable.Succeeded, unavailable.Describe() + "\n" + first.Describe());
            // Two failed attempts prove the retry (1 s, then 2 s apart).
            await first.WaitForLogAsync("delivery alert-2 failed (attempt 2)", TimeSpan.FromSeconds(15));
            JsonElement alerts = await RecordingApi.GetJsonAsync(first, "api/alerts");
            Assert.Equal(2, alerts.GetArrayLength());
            int exit = await first.StopAsync();
            Assert.Equal(0, exit);
        }

        // 3. Receiver back, server restarted on the same data: the pending alert arrives, the first is not sent again.
        receiver.Start();
        await using ServerProcess second = await RecordingApi.StartAsync(ports, data, output, env);
        WebhookDelivery late = await receiver.WaitForAsync(d => d.Body.Contains("\"caller\":\"1003\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(15), () => second.Describe());
        Assert.True(late.SignatureValid(Secret));
        Assert.Contains("\"dialed\":\"1004\"", late.Body, StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"NoAgent\"", late.Body, StringComparison.Ordinal);
        await Task.Delay(1500);
        var keys = receiver.Deliveries.Select(d => d.IdempotencyKey).ToList();
        Assert.True(keys.Count == 2 && keys.Distinct().Count() == 2, "one delivery per alert: " + string.Join(", ", keys));
    }
}
