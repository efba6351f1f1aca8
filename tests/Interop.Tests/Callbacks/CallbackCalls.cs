using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telephony.Interop.Tests.Ivr;
using Telephony.Interop.Tests.Recording;

namespace Telephony.Interop.Tests.Callbacks;

/// <summary>
/// Shared set-up for the callback end-to-end tests: a server on the sample config (IVR clock in office hours) whose
/// support queue makes callbacks quickly (short retry interval, short customer ring, offer after 1 s), the outbound trunk
/// pointing at a SIPp "customer" bound to 127.0.0.2, an optional webhook; the public API with the sample key; and tone
/// checks of what each side heard.
/// </summary>
internal static class CallbackCalls
{
    public const string SampleKey = "sample-web-key";
    public const string Customer = "+15550000002";
    public const int AgentTone = 1000;
    public const int CustomerTone = 1800;

    public static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The support queue's callback option with test timings.</summary>
    public static string FastQueues(string queues, int attempts = 3, int retrySeconds = 2, int customerRingSeconds = 4) => queues
        .Replace("offerAfterSeconds: 30", "offerAfterSeconds: 1", StringComparison.Ordinal)
        .Replace("attempts: 3 ", $"attempts: {attempts} ", StringComparison.Ordinal)
        .Replace("retrySeconds: 120", $"retrySeconds: {retrySeconds}", StringComparison.Ordinal)
        .Replace("customerRingSeconds: 30", $"customerRingSeconds: {customerRingSeconds}", StringComparison.Ordinal)
        .Replace("announceIntervalSeconds: 30", "announceIntervalSeconds: 4", StringComparison.Ordinal)
        .Replace("wrapUpSeconds: 10", "wrapUpSeconds: 1", StringComparison.Ordinal);

    /// <summary>Starts the server on <paramref name="data"/> with the fast callback queue config and the trunk's outbound side
    /// on peer <paramref name="customerPeer"/>'s SIP port at 127.0.0.2.</summary>
    public static Task<ServerProcess> StartAsync(PortBlock ports, string data, ITestOutputHelper output, int customerPeer,
        WebhookReceiver? receiver = null, Func<string, string>? queues = null)
    {
        string config = IvrCalls.ConfigCopy("callbacks", queues ?? (q => FastQueues(q)));
        var env = new Dictionary<string, string?>
        {
            ["TELEPHONY_IVR__CLOCK"] = IvrCalls.OpenClock,
            ["TELEPHONY_PATHS__CONFIGDIRECTORY"] = config,
            ["TELEPHONY_TRUNKS__0__OUTBOUND__PORT"] = ports.PeerSip(customerPeer).ToString(CultureInfo.InvariantCulture),
        };
        if (receiver is not null)
        {
            env["TELEPHONY_WEBHOOKS__0__NAME"] = "test";
            env["TELEPHONY_WEBHOOKS__0__URL"] = receiver.Url.ToString();
            env["TELEPHONY_WEBHOOKS__0__SECRET"] = QueueCalls.Secret;
            env["TELEPHONY_ALERTS__RETRYINITIALSECONDS"] = "1";
            env["TELEPHONY_ALERTS__RETRYMAXSECONDS"] = "2";
        }
        return RecordingApi.StartAsync(ports, data, output, env);
    }

    /// <summary>SIPp as the customer behind the trunk (127.0.0.2, peer <paramref name="peer"/>): <paramref name="scenario"/>
    /// with a <see cref="CustomerTone"/> pcap, for <paramref name="calls"/> calls.</summary>
    public static async Task<SippProcess> StartCustomerAsync(PortBlock ports, int peer, string dir, string scenario,
        IReadOnlyDictionary<string, string>? tokens = null, int calls = 1, TimeSpan? timeout = null)
    {
        PcapSummary tone = TonePcap(dir, "customer-tone.pcap", CustomerTone, 4);
        var all = new Dictionary<string, string>
        {
            ["@PCAP@"] = tone.Path,
            ["@RING_MS@"] = "300",
            ["@HOLD_MS@"] = "4000",
        };
        foreach (var (k, v) in tokens ?? new Dictionary<string, string>())
        {
            all[k] = v;
        }
        SippProcess customer = SippProcess.Start(new SippOptions
        {
            Scenario = scenario,
            LocalAddress = Engine.Engine.TrunkAddress,
            LocalPort = ports.PeerSip(peer),
            MediaPort = ports.PeerMedia(peer),
            Tokens = all,
            Calls = calls,
            Timeout = timeout ?? TimeSpan.FromSeconds(60),
            RecvTimeout = timeout ?? TimeSpan.FromSeconds(50),
        });
        await customer.WaitUntilBoundAsync(ports.PeerSip(peer));
        return customer;
    }

    /// <summary>A registered auto-answering baresip agent sending <see cref="AgentTone"/>, logged in once registered.</summary>
    public static async Task<BaresipPeer> AgentAsync(ServerProcess server, PortBlock ports, int peer, string extension, string dir,
        ITestOutputHelper output)
    {
        string tone = TestAudio.Tone(AgentTone, 60, Path.Combine(dir, $"agent-{extension}.wav"));
        BaresipPeer agent = await RecordingApi.PhoneAsync(server, ports, peer, extension, tone, autoAnswer: true, output);
        await server.WaitForLogAsync($"Agent {extension}: LoggedOut -> Available", TimeSpan.FromSeconds(10));
        return agent;
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(ServerProcess server,
        string? key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.HttpBase, "api/public/callbacks"))
        {
            Content = JsonContent.Create(body),
        };
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }
        HttpResponseMessage response = await Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        using JsonDocument doc = JsonDocument.Parse(text.Length == 0 ? "{}" : text);
        return (response.StatusCode, doc.RootElement.Clone(), response);
    }

    public static async Task<JsonElement> StatusAsync(ServerProcess server, string id, string key = SampleKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.HttpBase, $"api/public/callbacks/{id}"));
        request.Headers.Add("X-Api-Key", key);
        using HttpResponseMessage response = await Http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET callback {id}: {(int)response.StatusCode} {text}");
        using JsonDocument doc = JsonDocument.Parse(text);
        return doc.RootElement.Clone();
    }

    /// <summary>Polls the public status of <paramref name="id"/> until it is <paramref name="status"/>.</summary>
    public static async Task<JsonElement> WaitForStatusAsync(ServerProcess server, string id, string status, TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        JsonElement last;
        do
        {
            last = await StatusAsync(server, id);
            if (last.GetProperty("status").GetString() == status)
            {
                return last;
            }
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < end);
        throw new TimeoutException($"callback {id} is not {status}: {last}\n{server.Describe(120)}");
    }

    /// <summary>Waits until the customer's SIPp has received an INVITE (its message log); returns when it saw it.</summary>
    public static async Task<DateTime?> WaitForInviteAsync(SippProcess customer, TimeSpan timeout, int count = 1)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            if (SipTraceMessage.ParseLog(customer.CurrentMessageLog).Count(m => !m.Sent && m.Method == "INVITE") >= count)
            {
                return DateTime.UtcNow;
            }
            await Task.Delay(50);
        }
        return null;
    }

    public static PcapSummary TonePcap(string dir, string name, int frequencyHz, double seconds)
    {
        string wav = TestAudio.Tone(frequencyHz, seconds, Path.Combine(dir, Path.ChangeExtension(name, ".wav")));
        return PcapBuilder.Write(Path.Combine(dir, name), new PcapStream { Audio = WavFile.Read(wav).Mono() });
    }

    /// <summary>The strongest share of <paramref name="frequencyHz"/> in any non-silent 0.5 s window (0.25 s steps).</summary>
    public static double MaxToneShare(short[] audio, double frequencyHz)
    {
        const int window = 4000, step = 2000;
        double best = 0;
        for (int start = 0; start + window <= audio.Length; start += step)
        {
            ReadOnlySpan<short> w = audio.AsSpan(start, window);
            if (!AudioAnalysis.IsSilent(w))
            {
                best = Math.Max(best, AudioAnalysis.ToneShare(w, frequencyHz));
            }
        }
        return best;
    }

    /// <summary>A webhook body's property as text (numbers and strings).</summary>
    public static string? Field(WebhookDelivery delivery, string name)
    {
        using JsonDocument doc = JsonDocument.Parse(delivery.Body);
        return doc.RootElement.TryGetProperty(name, out JsonElement v) ? v.ToString() : null;
    }
}
