using System.Text.Json;
using Telephony.Interop.Tests.Ivr;
using Telephony.Interop.Tests.Recording;

namespace Telephony.Interop.Tests.Promises;

/// <summary>
/// Voicemail end to end: after hours the sample IVR takes a message for the support mailbox. A trunk caller (raw SIP,
/// PCMU) speaks after the beep and hangs up mid-message, or ends with # and keeps it with 1; the message's WAV matches
/// what the caller sent (20 ms envelope correlation at one lag, or by 1 s pieces each at its own lag: a stall of the
/// test's own sender makes the server record silence and the rest of the speech later, as a live call would),
/// the signed <c>voicemail</c> alert links to its audio, the first
/// download marks it heard and <c>POST …/handled</c> records who and the reply time (a second one is refused); a server
/// killed mid-message repairs it at the next start and keeps what was said.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class VoicemailTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<VoicemailTests>();

    [Fact]
    public async Task CallerHangsUpMidMessage_AudioMatchesWhatWasSaid_AlertLinksToIt_HandledWithReplyTime()
    {
        const string caller = "+15550000053";
        string data = RepoPaths.NewTempDirectory("voicemail-data");
        string dir = RepoPaths.NewTempDirectory("voicemail-audio");
        short[] speech = WavFile.Read(TestAudio.Speech("Hello, this is Alice. My printer is on fire again, please call me back.",
            Path.Combine(dir, "speech.wav"))).Mono();
        await using var receiver = new WebhookReceiver(ports.PeerSip(7));
        receiver.Start();
        await using ServerProcess server = await QueueCalls.StartAsync(ports, data, output, IvrCalls.ClosedClock, receiver: receiver);
        await using PromiseCalls calls = PromiseCalls.For(server, caller);
        await calls.DialAsync(ports);
        await SkipGreetingsAsync(calls);
        await server.WaitForLogAsync("for mailbox support", TimeSpan.FromSeconds(30));
        calls.CallerRtp!.Talk(speech, keep: true);
        await SentAsync(calls, speech.Length + 3200); // the whole sentence and 0.4 s (a loaded machine may send late)
        await calls.Caller!.ByeAsync(); // mid-message: no #, no silence timeout

        JsonElement message = await NewMessageAsync(server, caller);
        long id = message.GetProperty("id").GetInt64();
        short[] received = await DownloadAsync(server, id, Path.Combine(dir, "received.wav"));
        (double whole, double lag) = AudioAnalysis.EnvelopeCorrelation(calls.CallerRtp.SentAudio, received);
        double pieces = AudioAnalysis.SegmentedEnvelopeCorrelation(calls.CallerRtp.SentAudio, received);
        double correlation = Math.Max(whole, pieces); // one lag, or a lag per piece: a stall of our sender is not a fault
        WebhookDelivery alert = await receiver.WaitForAsync(d => d.Body.Contains("\"voicemail\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(10), () => server.Describe(80));
        JsonElement heard = await RecordingApi.GetJsonAsync(server, $"api/voicemails/{id}");
        (int handledStatus, string handledBody) = await calls.PostAsync($"api/voicemails/{id}/handled", new { });
        (int againStatus, string againBody) = await calls.PostAsync($"api/voicemails/{id}/handled", new { });
        JsonElement handled = await RecordingApi.GetJsonAsync(server, "api/voicemails?mailbox=support&status=handled");
        string context = $"message {message}\ncorrelation {whole:0.000} whole at lag {lag:0.00} s, {pieces:0.000} by 1 s pieces, received {received.Length / 8000.0:0.00} s, " +
            $"sent {calls.CallerRtp.SentAudio.Length / 8000.0:0.00} s ({calls.CallerRtp.LateSeconds:0.00} s of it late)\nalert {alert.Body}\nheard {heard}\nhandled {handledStatus} {handledBody}\n" +
            $"again {againStatus} {againBody}\n{server.Describe(80)}";
        output.WriteLine(context);

        Assert.Equal("support", message.GetProperty("mailbox").GetString());
        Assert.True(correlation >= 0.7, "the message should be what the caller said\n" + context);
        // A stall of our sender sends the rest late in a burst (see KeypadRtp.LateSeconds): that much may be missing.
        Assert.True(Math.Abs(AudioAnalysis.ActiveSeconds(received) - AudioAnalysis.ActiveSeconds(speech)) < 0.6 + calls.CallerRtp.LateSeconds,
            "all the speech up to the hang-up is kept\n" + context);
        using (JsonDocument body = JsonDocument.Parse(alert.Body))
        {
            Assert.Equal("voicemail", body.RootElement.GetProperty("kind").GetString());
            Assert.Contains($"/api/voicemails/{id}/audio", alert.Body, StringComparison.Ordinal);
        }

        Assert.True(alert.SignatureValid(QueueCalls.Secret), "bad signature\n" + context);
        Assert.Equal("heard", heard.GetProperty("status").GetString());
        Assert.Equal(200, handledStatus);
        Assert.Equal(409, againStatus);
        JsonElement row = Assert.Single(handled.GetProperty("items").EnumerateArray());
        Assert.Equal("admin", row.GetProperty("handledBy").GetString());
        Assert.True(row.GetProperty("replyMs").GetInt64() > 0, context);
    }

    [Fact]
    public async Task CallerEndsWithHashAndKeeps_MessageSavedAndConfirmed_ServerHangsUp()
    {
        const string caller = "+15550000054";
        string data = RepoPaths.NewTempDirectory("voicemail-keep-data");
        string dir = RepoPaths.NewTempDirectory("voicemail-keep-audio");
        short[] speech = WavFile.Read(TestAudio.Speech("Please call me about my invoice.", Path.Combine(dir, "speech.wav"))).Mono();
        await using ServerProcess server = await QueueCalls.StartAsync(ports, data, output, IvrCalls.ClosedClock);
        await using PromiseCalls calls = PromiseCalls.For(server, caller);
        await calls.DialAsync(ports);
        await SkipGreetingsAsync(calls);
        await server.WaitForLogAsync("for mailbox support", TimeSpan.FromSeconds(30));
        calls.CallerRtp!.Talk(speech, keep: true);
        await SentAsync(calls, speech.Length + 2400);
        await calls.CallerRtp.KeysAsync("#");
        await Task.Delay(TimeSpan.FromSeconds(1));
        await calls.CallerRtp.KeysAsync("1"); // the review prompt barges in: 1 keeps
        bool hungUp = await calls.Caller!.WaitForRequestAsync("BYE", TimeSpan.FromSeconds(20));

        JsonElement message = await NewMessageAsync(server, caller);
        short[] received = await DownloadAsync(server, message.GetProperty("id").GetInt64(), Path.Combine(dir, "received.wav"));
        (double whole, double lag) = AudioAnalysis.EnvelopeCorrelation(calls.CallerRtp.SentAudio, received);
        double pieces = AudioAnalysis.SegmentedEnvelopeCorrelation(calls.CallerRtp.SentAudio, received);
        double correlation = Math.Max(whole, pieces); // one lag, or a lag per piece: a stall of our sender is not a fault
        string context = $"message {message}\ncorrelation {whole:0.000} whole at lag {lag:0.00} s, {pieces:0.000} by 1 s pieces, received {received.Length / 8000.0:0.00} s\n" +
            $"{server.Describe(80)}";
        output.WriteLine(context);

        Assert.True(hungUp, "the server should hang up after confirming\n" + context);
        Assert.True(correlation >= 0.7, "the message should be what the caller said\n" + context);
        Assert.Contains("kept in mailbox support", server.Describe(200), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerKilledMidMessage_RestartRepairsAndKeepsIt_AudioUpToTheKill()
    {
        const string caller = "+15550000055";
        string data = RepoPaths.NewTempDirectory("voicemail-kill-data");
        string dir = RepoPaths.NewTempDirectory("voicemail-kill-audio");
        short[] speech = WavFile.Read(TestAudio.Speech("Hello, this is Bob. The invoice number is four two four two, please call me back today.",
            Path.Combine(dir, "speech.wav"))).Mono();
        short[] sent;
        ServerProcess first = await QueueCalls.StartAsync(ports, data, output, IvrCalls.ClosedClock);
        await using (first)
        {
            await using PromiseCalls calls = PromiseCalls.For(first, caller);
            await calls.DialAsync(ports);
            await SkipGreetingsAsync(calls);
            await first.WaitForLogAsync("for mailbox support", TimeSpan.FromSeconds(30));
            calls.CallerRtp!.Talk(speech, keep: true);
            await Task.Delay(TimeSpan.FromSeconds(4));
            first.Kill();
            sent = calls.CallerRtp.SentAudio;
            await Task.Delay(300);
        }

        await using ServerProcess server = await QueueCalls.StartAsync(ports, data, output, IvrCalls.ClosedClock);
        JsonElement message = await NewMessageAsync(server, caller);
        short[] received = await DownloadAsync(server, message.GetProperty("id").GetInt64(), Path.Combine(dir, "received.wav"));
        (double whole, double lag) = AudioAnalysis.EnvelopeCorrelation(sent, received);
        double pieces = AudioAnalysis.SegmentedEnvelopeCorrelation(sent, received);
        double correlation = Math.Max(whole, pieces); // one lag, or a lag per piece: a stall of our sender is not a fault
        JsonElement alerts = await RecordingApi.GetJsonAsync(server, "api/alerts");
        string context = $"message {message}\ncorrelation {whole:0.000} whole at lag {lag:0.00} s, {pieces:0.000} by 1 s pieces, received {received.Length / 8000.0:0.00} s, " +
            $"sent {sent.Length / 8000.0:0.00} s\nalerts {alerts}\n{server.Describe(80)}";
        output.WriteLine(context);

        Assert.True(correlation >= 0.7, "the repaired message should be what the caller said before the kill\n" + context);
        Assert.True(received.Length / 8000.0 >= (sent.Length / 8000.0) - 1.5, "audio up to the kill\n" + context);
        Assert.Contains("repaired", alerts.ToString(), StringComparison.Ordinal);
    }

    /// <summary>A key in the welcome (barge-in) and one in the closed/after-hours greeting (a key skips it): straight to the
    /// beep. A key that arrives in the beep or the recording is not the finish key and is ignored.</summary>
    private static async Task SkipGreetingsAsync(PromiseCalls calls)
    {
        await Task.Delay(TimeSpan.FromSeconds(0.5));
        await calls.CallerRtp!.KeysAsync("1");
        await Task.Delay(TimeSpan.FromSeconds(1));
        await calls.CallerRtp.KeysAsync("1");
    }

    /// <summary>Waits until the caller's stream has sent <paramref name="samples"/> samples of what it was told to say.</summary>
    private static async Task SentAsync(PromiseCalls calls, int samples)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (calls.CallerRtp!.SentAudio.Length < samples && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
    }

    private static async Task<JsonElement> NewMessageAsync(ServerProcess server, string caller)
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        JsonElement list = default;
        while (DateTime.UtcNow < deadline)
        {
            list = await RecordingApi.GetJsonAsync(server, "api/voicemails?mailbox=support&status=new");
            foreach (JsonElement item in list.GetProperty("items").EnumerateArray())
            {
                if (item.GetProperty("caller").GetString() == caller)
                {
                    return item;
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"no new voicemail from {caller}: {list}\n{server.Describe(80)}");
    }

    private static async Task<short[]> DownloadAsync(ServerProcess server, long id, string path)
    {
        using HttpResponseMessage r = await RecordingApi.Http.GetAsync(new Uri(server.HttpBase, $"api/voicemails/{id}/audio"));
        Assert.True(r.IsSuccessStatusCode, $"audio {(int)r.StatusCode}");
        await File.WriteAllBytesAsync(path, await r.Content.ReadAsByteArrayAsync());
        return WavFile.Read(path).Mono();
    }
}
