using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telephony.Interop.Tests.Ivr;
using Telephony.Interop.Tests.Recording;

namespace Telephony.Interop.Tests.Promises;

/// <summary>
/// A trunk caller (raw SIP from 127.0.0.2 to the 0800 number, <see cref="KeypadRtp"/> for its keys and voice) and a raw
/// agent phone 1001 (registers, answers, keys RFC 4733 digits, hangs up): the parts of the voicemail, survey and
/// disposition end-to-end tests.
/// </summary>
internal sealed class PromiseCalls : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> owned = [];

    private PromiseCalls(ServerProcess server, string caller)
    {
        Server = server;
        CallerNumber = caller;
    }

    public ServerProcess Server { get; }

    public string CallerNumber { get; }

    public RawCall? Caller { get; private set; }

    public KeypadRtp? CallerRtp { get; private set; }

    public RtpSink? CallerSink { get; private set; }

    public RawAgent? Agent { get; private set; }

    public KeypadRtp? AgentRtp { get; private set; }

    public static PromiseCalls For(ServerProcess server, string caller) => new(server, caller);

    /// <summary>Registers 1001 from a raw SIP client and waits for it to be available.</summary>
    public async Task RegisterAgentAsync(PortBlock ports)
    {
        var sip = new RawSipClient(Server.SipEndPoint, ports.PeerSip(1));
        owned.Add(new Disposer(sip.Dispose));
        Assert.Equal(200, SipText.StatusCode((await sip.RegisterAsync("1001", RecordingApi.Password("1001"), 600))[^1]));
        await Server.WaitForLogAsync("Agent 1001: LoggedOut -> Available", TimeSpan.FromSeconds(5));
        Agent = new RawAgent(sip, "1001");
    }

    /// <summary>The trunk caller dials the 0800 number; returns once the IVR answered, with RTP flowing (silence).</summary>
    public async Task DialAsync(PortBlock ports)
    {
        var sip = new RawSipClient(Server.SipEndPoint, ports.PeerSip(0), Engine.Engine.TrunkAddress);
        owned.Add(new Disposer(sip.Dispose));
        CallerSink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), ports.PeerMedia(0));
        owned.Add(CallerSink);
        Caller = new RawCall(sip, Engine.Engine.Did, CallerNumber);
        string? ok = await Caller.InviteAsync(RawCall.Sdp(CallerSink.EndPoint));
        Assert.True(ok is not null && SipText.StatusCode(ok) == 200, "the IVR did not answer: " + ok + "\n" + Server.Describe(40));
        IPEndPoint media = RawCall.MediaEndPoint(RawCall.Body(ok!))!;
        CallerRtp = new KeypadRtp(CallerSink, media, EventPayloadType(RawCall.Body(ok!)));
        owned.Insert(0, CallerRtp);
    }

    /// <summary>Presses 2 (the support queue in office hours) 1 s into the welcome, which is barge-in: the key is kept
    /// for the main menu (<see cref="IvrCalls.KeyInWelcomeSeconds"/>).</summary>
    public async Task ChooseSupportAsync()
    {
        await Task.Delay(TimeSpan.FromSeconds(IvrCalls.KeyInWelcomeSeconds));
        await CallerRtp!.KeysAsync("2");
    }

    /// <summary>1001 answers the queue's INVITE and starts sending silence (its keys go on the same stream).</summary>
    public async Task AnswerAsAgentAsync(PortBlock ports)
    {
        var sink = new RtpSink(IPAddress.Loopback, ports.PeerMedia(1));
        owned.Add(sink);
        Assert.True(await Agent!.AnswerAsync(sink.EndPoint, TimeSpan.FromSeconds(20)), "agent 1001 was not rung\n" + Server.Describe(60));
        string sdp = RawCall.Body(Agent.Invite!);
        AgentRtp = new KeypadRtp(sink, RawCall.MediaEndPoint(sdp)!, EventPayloadType(sdp));
        owned.Insert(0, AgentRtp);
    }

    /// <summary>The live call's record id (the call from <see cref="CallerNumber"/>), once stored.</summary>
    public async Task<string> CallIdAsync()
    {
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await RecordingApi.GetJsonAsync(Server, $"api/calls?number={Uri.EscapeDataString(CallerNumber)}&page=1&pageSize=5");
            foreach (JsonElement item in last.GetProperty("items").EnumerateArray())
            {
                return item.GetProperty("id").GetString()!;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"no call record for {CallerNumber}: {last}");
    }

    public async Task<(int Status, string Body)> PostAsync(string path, object body)
    {
        using HttpResponseMessage r = await RecordingApi.Http.PostAsJsonAsync(new Uri(Server.HttpBase, path), body);
        return ((int)r.StatusCode, await r.Content.ReadAsStringAsync());
    }

    /// <summary>The telephone-event payload type of an SDP (RFC 4733 §7.1.1), 101 when absent.</summary>
    public static byte EventPayloadType(string sdp)
    {
        foreach (string line in sdp.Split('\n'))
        {
            string l = line.TrimEnd('\r');
            if (l.StartsWith("a=rtpmap:", StringComparison.Ordinal) && l.Contains("telephone-event/8000", StringComparison.OrdinalIgnoreCase))
            {
                return byte.Parse(l[9..l.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            }
        }

        return 101;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (IAsyncDisposable d in owned)
        {
            await d.DisposeAsync();
        }
    }

    private sealed class Disposer(Action dispose) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            dispose();
            return ValueTask.CompletedTask;
        }
    }
}
