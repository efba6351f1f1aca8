using System.Net.Sockets;
using System.Text;

namespace Telephony.Interop.Tests.Engine;

/// <summary>
/// Hostile input (RFC 4475-style torture, truncation, binary, oversize, missing mandatory headers, bad
/// Content-Length) over UDP and TCP: each gets a 4xx/5xx (400 where the message is answerable) or is
/// dropped, and afterwards the server still answers OPTIONS and completes an echo call.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class MalformedTrafficTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<MalformedTrafficTests>();

    /// <summary>A request with every header RFC 3261 §8.1.1 requires, from <paramref name="port"/>.</summary>
    private static string Request(string method, string callId, int port, string transport, string extra = "", string body = "", string? contentLength = null, string cseqMethod = "") =>
        $"{method} sip:9000@127.0.0.1 SIP/2.0\r\n" +
        $"Via: SIP/2.0/{transport} 127.0.0.1:{port};branch={RawSipClient.NewBranch()}\r\n" +
        "Max-Forwards: 70\r\n" +
        $"From: <sip:+15550000001@127.0.0.1>;tag={RawSipClient.NewToken()}\r\n" +
        "To: <sip:9000@127.0.0.1>\r\n" +
        $"Call-ID: {callId}\r\n" +
        $"CSeq: 1 {(cseqMethod.Length > 0 ? cseqMethod : method)}\r\n" +
        extra +
        $"Content-Length: {contentLength ?? Encoding.UTF8.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture)}\r\n\r\n" +
        body;

    private static string Without(string message, string header) =>
        string.Join("\r\n", message.Split("\r\n").Where(l => !l.StartsWith(header + ":", StringComparison.OrdinalIgnoreCase)));

    /// <summary>(name, bytes, answerable: a 400 is required).</summary>
    private static List<(string Name, byte[] Bytes, bool Answerable, string CallId)> Garbage(int port, string transport, bool udp)
    {
        var list = new List<(string, byte[], bool, string)>();
        void Add(string name, string text, bool answerable, string callId) => list.Add((name, Encoding.UTF8.GetBytes(text), answerable, callId));
        string Id(string n) => $"{n}-{transport}-{RawSipClient.NewToken()}";

        string full = Request("OPTIONS", Id("trunc"), port, transport);
        Add("truncated", full[..(full.Length / 2)], false, "-");
        var rnd = new Random(4475);
        for (int i = 0; i < 5; i++)
        {
            byte[] bin = new byte[rnd.Next(20, 1200)];
            rnd.NextBytes(bin);
            list.Add(($"binary-{i}", bin, false, "-"));
        }

        Add("no-call-id", Without(Request("OPTIONS", Id("nocid"), port, transport), "Call-ID"), false, "-");
        string id = Id("nocseq");
        Add("no-cseq", Without(Request("OPTIONS", id, port, transport), "CSeq"), false, id);
        id = Id("novia");
        Add("no-via", Without(Request("OPTIONS", id, port, transport), "Via"), false, id);
        if (udp)
        {
            // RFC 3261 §18.3: over UDP a Content-Length larger than the datagram is an error (400).
            id = Id("cl-big");
            Add("content-length-too-big", Request("OPTIONS", id, port, transport, body: "v=0\r\n", contentLength: "5000"), true, id);
        }

        id = Id("cl-neg");
        Add("content-length-negative", Request("OPTIONS", id, port, transport, contentLength: "-5"), true, id);
        id = Id("cl-nan");
        Add("content-length-not-a-number", Request("OPTIONS", id, port, transport, contentLength: "ten"), true, id);
        id = Id("maxfwd");
        Add("max-forwards-not-a-number", Request("OPTIONS", id, port, transport).Replace("Max-Forwards: 70", "Max-Forwards: seventy", StringComparison.Ordinal), true, id);
        id = Id("cseq-mismatch");
        Add("cseq-method-mismatch", Request("OPTIONS", id, port, transport, cseqMethod: "INVITE"), true, id);
        id = Id("cseq-huge");
        Add("cseq-too-large", Request("OPTIONS", id, port, transport).Replace("CSeq: 1 OPTIONS", "CSeq: 99999999999999999999 OPTIONS", StringComparison.Ordinal), true, id);
        id = Id("version");
        Add("bad-version", Request("OPTIONS", id, port, transport).Replace("sip:9000@127.0.0.1 SIP/2.0", "sip:9000@127.0.0.1 SIP/7.0", StringComparison.Ordinal), false, id);
        id = Id("baduri");
        Add("bad-request-uri", Request("INVITE", id, port, transport).Replace("sip:9000@127.0.0.1 SIP/2.0", "<sip:9000@127.0.0.1> SIP/2.0", StringComparison.Ordinal), false, id);
        id = Id("nul");
        Add("nul-in-header", Request("OPTIONS", id, port, transport, extra: "Subject: a\0b\r\n"), false, id);
        id = Id("sdp-junk");
        Add("invite-with-garbage-sdp", Request("INVITE", id, port, transport, extra: "Content-Type: application/sdp\r\n", body: "v=9\r\nm=audio x RTP/AVP\r\n\u00ff\u00fe"), false, id);
        Add("only-crlf", "\r\n\r\n", false, "-");
        id = Id("oversize");
        int size = udp ? 65_000 : 70_000;
        Add("oversized", Request("OPTIONS", id, port, transport, extra: "X-Padding: " + new string('a', size) + "\r\n"), false, id);
        return list;
    }

    [Fact]
    public async Task MalformedBurst_OverUdpAndTcp_ServerStaysUpAndWorks()
    {
        await using ServerProcess server = await Engine.StartServerAsync(ports, output);
        var problems = new List<string>();

        // UDP
        using (var udp = new RawSipClient(server.SipEndPoint, ports.PeerSip(1)))
        {
            var cases = Garbage(ports.PeerSip(1), "UDP", udp: true);
            foreach (var c in cases)
            {
                await udp.SendAsync(c.Bytes);
            }

            List<string> responses = await udp.ReceiveAllAsync(TimeSpan.FromSeconds(2));
            Check("udp", cases, responses, problems);
        }

        // TCP: one connection per message (the server may close a connection after garbage).
        var tcpCases = Garbage(ports.PeerSip(2), "TCP", udp: false);
        var tcpResponses = new List<string>();
        foreach (var c in tcpCases)
        {
            tcpResponses.AddRange(await SendTcpAsync(server, c.Bytes));
        }

        Check("tcp", tcpCases, tcpResponses, problems);

        Assert.False(server.HasExited, "server died\n" + server.Describe());
        using (var probe = new RawSipClient(server.SipEndPoint, ports.PeerSip(3)))
        {
            string? options = await probe.OptionsAsync(TimeSpan.FromSeconds(3));
            Assert.True(options is not null && SipText.StatusCode(options) == 200, $"OPTIONS after the burst: {options ?? "no answer"}\n{server.Describe()}");
            Assert.NotNull(SipText.Header(options!, "Allow"));
        }

        SippResult call = await EchoTests.EchoCallAsync(server, ports, tcp: false, output);
        Assert.True(call.Succeeded);
        Assert.True(problems.Count == 0, string.Join('\n', problems) + "\n" + server.Describe());
    }

    [Fact]
    public async Task Options_IsAnsweredWith200AndAllow()
    {
        await using ServerProcess server = await Engine.StartServerAsync(ports, output);
        using var probe = new RawSipClient(server.SipEndPoint, ports.PeerSip(1));
        string? options = await probe.OptionsAsync(TimeSpan.FromSeconds(3));
        Assert.True(options is not null && SipText.StatusCode(options) == 200, $"OPTIONS: {options ?? "no answer"}\n{server.Describe()}");
        string allow = SipText.Header(options!, "Allow") ?? string.Empty;
        foreach (string method in new[] { "INVITE", "ACK", "BYE", "CANCEL", "OPTIONS" })
        {
            Assert.Contains(method, allow, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static void Check(string transport, List<(string Name, byte[] Bytes, bool Answerable, string CallId)> cases, List<string> responses, List<string> problems)
    {
        foreach (string r in responses)
        {
            int code = SipText.StatusCode(r);
            if (code < 400)
            {
                problems.Add($"{transport}: garbage got a non-error answer: {SipText.StartLine(r)} (Call-ID {SipText.Header(r, "Call-ID")})");
            }
        }

        foreach (var c in cases.Where(c => c.Answerable))
        {
            string? answer = responses.FirstOrDefault(r => SipText.Header(r, "Call-ID") == c.CallId);
            if (answer is null || SipText.StatusCode(answer) != 400)
            {
                problems.Add($"{transport}: {c.Name} should get 400, got {(answer is null ? "nothing" : SipText.StartLine(answer))}");
            }
        }
    }

    private static async Task<List<string>> SendTcpAsync(ServerProcess server, byte[] bytes)
    {
        var responses = new List<string>();
        using var tcp = new TcpClient();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        await tcp.ConnectAsync(server.SipEndPoint, cts.Token);
        NetworkStream s = tcp.GetStream();
        try
        {
            await s.WriteAsync(bytes, cts.Token);
        }
        catch (IOException)
        {
            return responses; // server closed on us: dropped
        }

        var buffer = new MemoryStream();
        byte[] chunk = new byte[8192];
        using var read = new CancellationTokenSource(TimeSpan.FromMilliseconds(700));
        try
        {
            while (true)
            {
                int n = await s.ReadAsync(chunk, read.Token);
                if (n == 0)
                {
                    break;
                }

                buffer.Write(chunk, 0, n);
            }
        }
        catch (OperationCanceledException)
        {
            // no more data within the window
        }
        catch (IOException)
        {
            // reset
        }

        string text = Encoding.UTF8.GetString(buffer.ToArray());
        foreach (string part in text.Split("SIP/2.0 ", StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Length >= 3 && char.IsDigit(part[0]))
            {
                responses.Add("SIP/2.0 " + part);
            }
        }

        return responses;
    }
}
