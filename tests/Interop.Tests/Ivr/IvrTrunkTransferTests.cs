using System.Globalization;
using System.Net;
using Telephony.Interop.Tests.Engine;

namespace Telephony.Interop.Tests.Ivr;

/// <summary>
/// The IVR's <c>transfer</c> node to an external number through the outbound trunk (issue 4). A test-only tree answers
/// the 0800 number: key 7 sets priority/tags/a variable and transfers to +4930123456 via <c>local-trunk</c>, whose
/// outbound side points at a SIPp UAS bound to the trunk address 127.0.0.2 (port from the test's block); failure plays
/// the all-busy prompt and hangs up. Callers are SIPp trunk callers (uac-ivr.xml) from +15550000001.
/// Checked: the INVITE's Request-URI, From and X-Telephony-* headers, digest towards the trunk (407 then a verified
/// Proxy-Authorization), ringback while it rings or the carrier's early media (183 with SDP), audio both ways as tones
/// (Goertzel), UDP and TCP towards the trunk, BYE from either side ending both,
/// 503 from the trunk taking the IVR's failure path, CANCEL to the trunk when the caller hangs up while it rings, and a
/// tree naming an unknown trunk refused with file and line.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class IvrTrunkTransferTests(ITestOutputHelper output)
{
    private const string External = "+4930123456";
    private const string CallerNumber = "+15550000001";
    private const int CallerTone = 1000;
    private const int FarTone = 1800;

    private const string Tree = """
        flows:
          trunk-test:
            numbers: ["08001234567"]
            language: en
            start: menu
            on_error: goodbye
            nodes:
              menu:
                type: menu
                prompt: ivr/welcome
                options:
                  "7": mark-external
                timeout: 15s
                retries: 0
                events: { timeout: goodbye, invalid: goodbye }
              mark-external:
                type: set
                priority: 30
                tags: [external]
                variables: { reason: external-support }
                next: dial-out
              dial-out:
                type: transfer
                to: "+4930123456"
                trunk: local-trunk
                failed: sorry
              sorry:
                type: hangup
                prompt: ivr/all-busy
              goodbye:
                type: hangup
        """;

    private readonly PortBlock ports = PortAllocator.For<IvrTrunkTransferTests>();

    [Fact]
    public async Task TrunkChallenges407_ServerRetriesWithCredentials_HeadersAudioBothWays_CallerByeEndsBoth()
    {
        await using ServerProcess server = await StartAsync(("USERNAME", "trunk-user"), ("PASSWORD", "trunk-secret"));
        string dir = RepoPaths.NewTempDirectory("ivr-trunk-auth");
        await using SippProcess far = await StartFarEndAsync(dir, "uas-trunk-auth", ringMs: 1500, holdMs: 40000);
        PcapSummary keys = IvrCalls.Keys(dir, IvrCalls.KeyInWelcomeSeconds, "7");
        PcapSummary talk = TonePcap(dir, "caller-tone.pcap", CallerTone, 4);
        int media = ports.PeerMedia(0);
        await using var callerSink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), media + 4);
        await using var farSink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), ports.PeerMedia(1) + 4);

        SippResult call = await Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(0), media, CallerNumber,
            keys, keys.DurationSeconds + 4, talk, talk.DurationSeconds + 1.5));
        SippResult farEnd = await far.WaitAsync();
        await farSink.WaitForQuietAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2));
        string context = Context(call, farEnd, callerSink, farSink, server);

        Assert.True(call.Succeeded, "the caller's call failed\n" + context);
        Assert.True(farEnd.Succeeded, "the trunk's far end failed\n" + context);
        var invites = farEnd.Messages.Where(m => !m.Sent && m.Method == "INVITE").ToList();
        Assert.True(invites.Count == 2, "expected the INVITE, then the INVITE with credentials\n" + context);
        AssertInviteAddressing(invites[0].Text, context);
        AssertInviteAddressing(invites[1].Text, context);
        Assert.Equal(SipText.Header(invites[0].Text, "Call-ID"), SipText.Header(invites[1].Text, "Call-ID"));
        Assert.Equal("1 INVITE", SipText.Header(invites[0].Text, "CSeq"));
        Assert.Equal("2 INVITE", SipText.Header(invites[1].Text, "CSeq"));
        Assert.Null(SipText.Header(invites[0].Text, "Proxy-Authorization"));
        AssertDigest(invites[1].Text, farEnd.Messages.First(m => m.Sent && m.StatusCode == 407).Text, context);
        Assert.Contains("BYE", farEnd.ReceivedRequests); // the caller's BYE was relayed to the trunk

        Assert.True(server.Log.Contains($"bridged to agent {External}@local-trunk"), "caller was not bridged to the trunk\n" + context);
        double ringback = MaxToneShare(callerSink.Audio, 425);
        Assert.True(ringback >= 0.5, $"the caller should hear 425 Hz ringback while the trunk rings: {ringback:0.00}\n{context}");
        double heard = MaxToneShare(callerSink.Audio, FarTone);
        Assert.True(heard >= 0.5, $"the caller should hear the far end's {FarTone} Hz tone: {heard:0.00}\n{context}");
        double farHeard = MaxToneShare(farSink.Audio, CallerTone);
        Assert.True(farHeard >= 0.5, $"the far end should hear the caller's {CallerTone} Hz tone: {farHeard:0.00}\n{context}");
        await Health.AssertNoCallsLeftAsync(server);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TrunkAnswers_FarEndHangsUp_CallerGetsBye(bool tcp)
    {
        await using ServerProcess server = tcp ? await StartAsync(("TRANSPORT", "tcp")) : await StartAsync();
        string dir = RepoPaths.NewTempDirectory("ivr-trunk-farbye");
        await using SippProcess far = await StartFarEndAsync(dir, "uas-trunk-answer", ringMs: 200, holdMs: 4000, tcp);
        PcapSummary keys = IvrCalls.Keys(dir, IvrCalls.KeyInWelcomeSeconds, "7");
        PcapSummary talk = TonePcap(dir, "caller-tone.pcap", CallerTone, 3);
        int media = ports.PeerMedia(0);
        await using var callerSink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), media + 4);
        await using var farSink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), ports.PeerMedia(1) + 4);

        // The caller would stay 30 s longer: only the far end's BYE (relayed by the server) ends its call in time.
        SippResult call = await Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(0), media, CallerNumber,
            keys, keys.DurationSeconds + 1.5, talk, 30) with { Timeout = TimeSpan.FromSeconds(25) });
        SippResult farEnd = await far.WaitAsync();
        string context = Context(call, farEnd, callerSink, farSink, server);

        Assert.True(farEnd.Succeeded, "the trunk's far end failed\n" + context);
        Assert.True(call.Succeeded, "the caller should get the far end's BYE\n" + context);
        Assert.Contains("BYE", call.ReceivedRequests);
        AssertInviteAddressing(farEnd.Messages.First(m => !m.Sent && m.Method == "INVITE").Text, context, tcp);
        double heard = MaxToneShare(callerSink.Audio, FarTone);
        Assert.True(heard >= 0.5, $"the caller should hear the far end's {FarTone} Hz tone: {heard:0.00}\n{context}");
        double farHeard = MaxToneShare(farSink.Audio, CallerTone);
        Assert.True(farHeard >= 0.5, $"the far end should hear the caller's {CallerTone} Hz tone: {farHeard:0.00}\n{context}");
        await Health.AssertNoCallsLeftAsync(server);
    }

    [Fact]
    public async Task TrunkSendsEarlyMedia_CallerHearsItInsteadOfRingback_2xxWithoutSdpKeepsTheEarlyAnswer()
    {
        const int EarlyTone = 600;
        await using ServerProcess server = await StartAsync();
        string dir = RepoPaths.NewTempDirectory("ivr-trunk-early");
        PcapSummary early = TonePcap(dir, "early-tone.pcap", EarlyTone, 2.5);
        PcapSummary tone = TonePcap(dir, "far-tone.pcap", FarTone, 5);
        await using SippProcess far = SippProcess.Start(FarEnd("uas-trunk-early", new Dictionary<string, string>
        {
            ["@EARLY_PCAP@"] = early.Path,
            ["@EARLY_MS@"] = "2500",
            ["@PCAP@"] = tone.Path,
        }));
        await far.WaitUntilBoundAsync(ports.PeerSip(1));
        PcapSummary keys = IvrCalls.Keys(dir, IvrCalls.KeyInWelcomeSeconds, "7");
        PcapSummary talk = TonePcap(dir, "caller-tone.pcap", CallerTone, 3);
        int media = ports.PeerMedia(0);
        await using var callerSink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), media + 4);
        await using var farSink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), ports.PeerMedia(1) + 4);

        SippResult call = await Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(0), media, CallerNumber,
            keys, keys.DurationSeconds + 4, talk, talk.DurationSeconds + 1));
        SippResult farEnd = await far.WaitAsync();
        await farSink.WaitForQuietAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2));
        string context = Context(call, farEnd, callerSink, farSink, server);

        Assert.True(call.Succeeded, "the caller's call failed\n" + context);
        Assert.True(farEnd.Succeeded, "the trunk's far end failed\n" + context);
        Assert.True(server.Log.Contains("early media from trunk local-trunk (183"), "no early media\n" + context);
        double announcement = MaxToneShare(callerSink.Audio, EarlyTone);
        Assert.True(announcement >= 0.5, $"the caller should hear the early {EarlyTone} Hz announcement: {announcement:0.00}\n{context}");
        double ringback = MaxToneShare(callerSink.Audio, 425);
        Assert.True(ringback < 0.3, $"no ringback over early media: 425 Hz share {ringback:0.00}\n{context}");
        double heard = MaxToneShare(callerSink.Audio, FarTone);
        Assert.True(heard >= 0.5, $"the caller should hear the far end's {FarTone} Hz tone: {heard:0.00}\n{context}");
        double farHeard = MaxToneShare(farSink.Audio, CallerTone);
        Assert.True(farHeard >= 0.5, $"the far end should hear the caller's {CallerTone} Hz tone: {farHeard:0.00}\n{context}");
        await Health.AssertNoCallsLeftAsync(server);
    }

    [Fact]
    public async Task TrunkAnswers503_CallerHearsTheFailurePath()
    {
        await using ServerProcess server = await StartAsync();
        string dir = RepoPaths.NewTempDirectory("ivr-trunk-503");
        await using SippProcess far = SippProcess.Start(FarEnd("uas-trunk-reject", new Dictionary<string, string> { ["@STATUS@"] = "503" }));
        await far.WaitUntilBoundAsync(ports.PeerSip(1));
        PcapSummary keys = IvrCalls.Keys(dir, IvrCalls.KeyInWelcomeSeconds, "7");
        PcapSummary quiet = IvrCalls.Keys(dir, 0.5, "", "quiet.pcap");
        int media = ports.PeerMedia(0);
        await using var callerSink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), media + 4);

        // The tree plays ivr/all-busy (4.9 s) and hangs up: the caller is still there after the 503 and gets the BYE.
        SippResult call = await Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(0), media, CallerNumber,
            keys, keys.DurationSeconds + 20, quiet, 1));
        SippResult farEnd = await far.WaitAsync();
        string context = Context(call, farEnd, callerSink, null, server);

        Assert.True(farEnd.Succeeded, "the trunk should get the INVITE and ACK its 503\n" + context);
        Assert.True(call.Succeeded, "the caller should stay connected, then get the IVR's BYE\n" + context);
        Assert.Contains("BYE", call.ReceivedRequests);
        Assert.True(server.Log.Contains("answered 503"), "the 503 was not seen\n" + context);
        Assert.True(server.Log.Contains("IVR ended (Hangup) at sorry"), "the IVR did not take its failed path\n" + context);
        // After the menu prompt and the transfer attempt, the caller hears the all-busy prompt (~4.9 s of speech).
        short[] audio = callerSink.Audio;
        double tail = AudioAnalysis.ActiveSeconds(audio.AsSpan(Math.Max(0, audio.Length - (8 * 8000))));
        Assert.True(tail >= 2.5, $"the caller should hear the all-busy prompt at the end: {tail:0.0} s active\n{context}");
        await Health.AssertNoCallsLeftAsync(server);
    }

    [Fact]
    public async Task CallerHangsUpWhileTrunkRings_TrunkGetsCancel()
    {
        await using ServerProcess server = await StartAsync();
        string dir = RepoPaths.NewTempDirectory("ivr-trunk-cancel");
        await using SippProcess far = SippProcess.Start(FarEnd("uas-ring-cancel", new Dictionary<string, string>()));
        await far.WaitUntilBoundAsync(ports.PeerSip(1));
        PcapSummary keys = IvrCalls.Keys(dir, IvrCalls.KeyInWelcomeSeconds, "7");
        PcapSummary quiet = IvrCalls.Keys(dir, 0.5, "", "quiet.pcap");
        int media = ports.PeerMedia(0);
        await using var callerSink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), media + 4);

        SippResult call = await Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(0), media, CallerNumber,
            keys, keys.DurationSeconds + 3, quiet, 0.5));
        SippResult farEnd = await far.WaitAsync();
        string context = Context(call, farEnd, callerSink, null, server);

        Assert.True(call.Succeeded, "the caller's BYE while ringing should be answered\n" + context);
        Assert.True(farEnd.Succeeded, "the ringing trunk should get CANCEL (then 487/ACK)\n" + context);
        Assert.Contains("CANCEL", farEnd.ReceivedRequests);
        double ringback = MaxToneShare(callerSink.Audio, 425);
        Assert.True(ringback >= 0.5, $"the caller should hear 425 Hz ringback while the trunk rings: {ringback:0.00}\n{context}");
        await Health.AssertNoCallsLeftAsync(server);
    }

    [Fact]
    public async Task TreeNamingAnUnknownTrunk_IsRefusedWithFileAndLine_ServerDoesNotStart()
    {
        string config = IvrCalls.ConfigCopy("ivr-trunk-unknown", queues => queues,
            _ => Tree.Replace("trunk: local-trunk", "trunk: local-trunc", StringComparison.Ordinal));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Engine.Engine.StartServerAsync(ports, output,
            new Dictionary<string, string?> { ["TELEPHONY_PATHS__CONFIGDIRECTORY"] = config }));

        output.WriteLine(refused.Message);
        Assert.Contains("exited with code 1", refused.Message, StringComparison.Ordinal);
        Assert.Contains("ivr.yaml:25:16: transfer node 'dial-out' names trunk", refused.Message, StringComparison.Ordinal);
        Assert.Contains("not an outbound trunk in telephony.yaml (outbound trunks: local-trunk) (did you mean 'local-trunk'?)",
            refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrunkRingsPastTheRingTimeout_TrunkGetsCancel_CallerHearsTheFailurePath()
    {
        await using ServerProcess server = await StartAsync(ringTimeoutSeconds: 4); // 4 s: room for the far end's 180 on a loaded box
        string dir = RepoPaths.NewTempDirectory("ivr-trunk-timeout");
        await using SippProcess far = SippProcess.Start(FarEnd("uas-ring-cancel", new Dictionary<string, string>()));
        await far.WaitUntilBoundAsync(ports.PeerSip(1));
        PcapSummary keys = IvrCalls.Keys(dir, IvrCalls.KeyInWelcomeSeconds, "7");
        PcapSummary quiet = IvrCalls.Keys(dir, 0.5, "", "quiet.pcap");
        int media = ports.PeerMedia(0);
        await using var callerSink = new RtpSink(IPAddress.Parse(Engine.Engine.TrunkAddress), media + 4);

        SippResult call = await Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(0), media, CallerNumber,
            keys, keys.DurationSeconds + 25, quiet, 1));
        SippResult farEnd = await far.WaitAsync();
        string context = Context(call, farEnd, callerSink, null, server);

        Assert.True(farEnd.Succeeded, "the trunk should get CANCEL after the ring timeout\n" + context);
        Assert.Contains("CANCEL", farEnd.ReceivedRequests);
        Assert.True(call.Succeeded, "the caller should stay connected, then get the IVR's BYE\n" + context);
        Assert.Contains("BYE", call.ReceivedRequests);
        Assert.True(server.Log.Contains("not answered within 4 s"), "no ring timeout\n" + context);
        Assert.True(server.Log.Contains("IVR ended (Hangup) at sorry"), "the IVR did not take its failed path\n" + context);
        short[] audio = callerSink.Audio;
        double tail = AudioAnalysis.ActiveSeconds(audio.AsSpan(Math.Max(0, audio.Length - (8 * 8000))));
        Assert.True(tail >= 2.5, $"the caller should hear the all-busy prompt at the end: {tail:0.0} s active\n{context}");
        await Health.AssertNoCallsLeftAsync(server);
    }

    private Task<ServerProcess> StartAsync(params (string Key, string Value)[] outbound) => StartAsync(20, outbound);

    private async Task<ServerProcess> StartAsync(int ringTimeoutSeconds, params (string Key, string Value)[] outbound)
    {
        string config = IvrCalls.ConfigCopy("ivr-trunk", queues => queues, _ => Tree);
        var env = new Dictionary<string, string?>
        {
            ["TELEPHONY_PATHS__CONFIGDIRECTORY"] = config,
            ["TELEPHONY_TRUNKS__0__OUTBOUND__PORT"] = ports.PeerSip(1).ToString(CultureInfo.InvariantCulture),
            ["TELEPHONY_SIP__RINGTIMEOUTSECONDS"] = ringTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
        };
        foreach ((string key, string value) in outbound)
        {
            env["TELEPHONY_TRUNKS__0__OUTBOUND__" + key] = value;
        }
        return await Engine.Engine.StartServerAsync(ports, output, env);
    }

    private async Task<SippProcess> StartFarEndAsync(string dir, string scenario, int ringMs, int holdMs, bool tcp = false)
    {
        PcapSummary tone = TonePcap(dir, "far-tone.pcap", FarTone, 5);
        SippProcess far = SippProcess.Start(FarEnd(scenario, new Dictionary<string, string>
        {
            ["@PCAP@"] = tone.Path,
            ["@RING_MS@"] = ringMs.ToString(CultureInfo.InvariantCulture),
            ["@HOLD_MS@"] = holdMs.ToString(CultureInfo.InvariantCulture),
        }) with { Tcp = tcp });
        await far.WaitUntilBoundAsync(ports.PeerSip(1));
        return far;
    }

    /// <summary>SIPp as the external party behind the trunk: bound to 127.0.0.2 on the port the trunk's outbound points at.</summary>
    private SippOptions FarEnd(string scenario, IReadOnlyDictionary<string, string> tokens) => new()
    {
        Scenario = scenario,
        LocalAddress = Engine.Engine.TrunkAddress,
        LocalPort = ports.PeerSip(1),
        MediaPort = ports.PeerMedia(1),
        Tokens = tokens,
        Timeout = TimeSpan.FromSeconds(60),
        RecvTimeout = TimeSpan.FromSeconds(45),
    };

    private static PcapSummary TonePcap(string dir, string name, int frequencyHz, double seconds)
    {
        string wav = TestAudio.Tone(frequencyHz, seconds, Path.Combine(dir, Path.ChangeExtension(name, ".wav")));
        return PcapBuilder.Write(Path.Combine(dir, name), new PcapStream { Audio = WavFile.Read(wav).Mono() });
    }

    private void AssertInviteAddressing(string invite, string context, bool tcp = false)
    {
        string port = ports.PeerSip(1).ToString(CultureInfo.InvariantCulture);
        string transport = tcp ? ";transport=tcp" : "";
        Assert.True(SipText.StartLine(invite) == $"INVITE sip:{External}@127.0.0.2:{port}{transport} SIP/2.0", "Request-URI\n" + context);
        Assert.Contains($"<sip:{CallerNumber}@", SipText.Header(invite, "From") ?? "", StringComparison.Ordinal);
        Assert.Contains($"<sip:{External}@127.0.0.2>", SipText.Header(invite, "To") ?? "", StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{32}$", SipText.Header(invite, "X-Telephony-Interaction") ?? "");
        Assert.Equal("30", SipText.Header(invite, "X-Telephony-Priority"));
        Assert.Equal("external", SipText.Header(invite, "X-Telephony-Tags"));
        Assert.Equal("external-support", SipText.Header(invite, "X-Telephony-Var-reason"));
    }

    /// <summary>Recomputes the MD5 digest (RFC 2617 §3.2.2 with qop=auth) from the challenge and the server's answer.</summary>
    private static void AssertDigest(string invite, string challengeResponse, string context)
    {
        string? credentials = SipText.Header(invite, "Proxy-Authorization");
        Assert.True(credentials is not null, "the retried INVITE has no Proxy-Authorization\n" + context);
        Dictionary<string, string> got = DigestAuth.ParseChallenge(credentials!);
        string challenge = SipText.Header(challengeResponse, "Proxy-Authenticate")!;
        Assert.Equal("trunk-user", got["username"]);
        Assert.Equal("carrier", got["realm"]);
        Assert.Equal(DigestAuth.ParseChallenge(challenge)["nonce"], got["nonce"]);
        Assert.Equal(SipText.StartLine(invite).Split(' ')[1], got["uri"]);
        Assert.Equal("auth", got["qop"]);
        Assert.Equal("00000001", got["nc"]);
        string expected = DigestAuth.ParseChallenge(
            DigestAuth.Answer(challenge, "INVITE", got["uri"], "trunk-user", "trunk-secret", got["cnonce"]))["response"];
        Assert.True(expected == got["response"], $"digest response {got["response"]}, expected {expected}\n{context}");
    }

    /// <summary>The strongest share of <paramref name="frequencyHz"/> in any non-silent 0.5 s window (0.25 s steps).</summary>
    private static double MaxToneShare(short[] audio, double frequencyHz)
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

    private string Context(SippResult call, SippResult farEnd, RtpSink callerSink, RtpSink? farSink, ServerProcess server)
    {
        string text = $"caller:\n{call.Describe()}\nfar end:\n{farEnd.Describe()}\ncaller sink: {callerSink.Describe()}\n" +
                      $"far sink: {farSink?.Describe() ?? "-"}\n{server.Describe(150)}";
        output.WriteLine(text);
        return text;
    }
}
