using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Telephony.Pbx.Rtp.Srtp;

namespace Telephony.RtpProbe.Calls;

/// <summary>
/// The UAC side of every probe call over one UDP socket (RFC 3261 §17.1: INVITE and BYE retransmitted from T1 = 500 ms,
/// doubling, up to 4 s, given up after 32 s; ACK for 2xx and non-2xx; a BYE from the server is answered 200).
/// SRTP calls offer RTP/SAVP with one AES_CM_128_HMAC_SHA1_80 <c>a=crypto</c> (RFC 4568 §5) and key their
/// contexts from the answer with <see cref="SdesNegotiation.AcceptAnswer"/>. With <c>--ws</c> the messages go over SIP
/// over WebSocket instead (<see cref="WebSocketSip"/>, RFC 7118), without retransmissions.
/// </summary>
internal sealed class SipSignalling : IDisposable
{
    private const double TimerBMs = 32_000;
    private readonly CallsOptions _options;
    private readonly Dictionary<string, ProbeCall> _byCallId;
    private readonly MediaPump _media;
    private readonly Func<double> _nowMs;
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly string _local;
    private readonly string _contact;
    private readonly WebSocketSip? _ws;
    private readonly string _runId;
    private Thread? _thread;
    private volatile bool _running;
    private int _branch;

    public SipSignalling(CallsOptions options, IReadOnlyList<ProbeCall> calls, MediaPump media, Func<double> nowMs, string runId)
    {
        _runId = runId;
        _options = options;
        _byCallId = calls.ToDictionary(c => c.CallId, StringComparer.Ordinal);
        _media = media;
        _nowMs = nowMs;
        _local = $"{options.Local}:{options.SipPort}";
        _contact = $"<sip:probe@{_local}>";
        if (options.WebSocket is { } uri)
        {
            // RFC 7118 §5: a browser's Via and Contact name an unresolvable .invalid host; replies come back on its connection.
            _local = $"probe{runId.Replace("-", "", StringComparison.Ordinal)}.invalid";
            _contact = $"<sip:probe@{_local};transport=ws>";
            _ws = new WebSocketSip(uri, options.Local, OnWebSocketMessage);
        }
        _socket.ReceiveBufferSize = 4 * 1024 * 1024;
        _socket.Bind(new IPEndPoint(options.Local, options.SipPort));
    }

    public long Retransmissions { get; private set; }
    public long UnknownMessages { get; private set; }
    public long WebSocketFailures => _ws?.ConnectFailures ?? 0;

    public void Start()
    {
        _running = true;
        _thread = new Thread(Receive) { IsBackground = true, Name = "sip" };
        _thread.Start();
    }

    public void Invite(ProbeCall call)
    {
        var now = _nowMs();
        lock (call.Gate)
        {
            call.InvitedAtMs = now;
            call.Branch = NewBranch();
            var sdp = Sdp(call);
            call.RequestText = Request("INVITE", $"sip:{_options.Number}@{_options.Server}", call, $"<sip:{_options.Number}@{_options.Server}>", 1,
                "Contact: " + _contact + "\r\nContent-Type: application/sdp\r\n", sdp);
            call.NextRetransmitMs = now + 500;
            call.GiveUpAtMs = now + TimerBMs;
            Send(call, call.RequestText);
        }
    }

    /// <summary>Retransmits what is unanswered and sends each call's BYE once it has talked long enough.</summary>
    public void Tick()
    {
        var now = _nowMs();
        foreach (var call in _byCallId.Values)
        {
            lock (call.Gate)
            {
                if (call.Branch.Length == 0)
                {
                    continue; // not placed yet
                }
                switch (call.Phase)
                {
                    case CallPhase.Talking when now - call.AnsweredAtMs >= _options.CallSeconds * 1000:
                        call.Talking = false;
                        call.WebRtc?.Stop();
                        call.Phase = CallPhase.Ending;
                        call.ByeAtMs = now;
                        call.Branch = NewBranch();
                        call.RequestText = Request("BYE", call.RemoteTarget, call, call.ToHeader, 2, "", "");
                        call.RetransmitIntervalMs = 500;
                        call.NextRetransmitMs = now + 500;
                        call.GiveUpAtMs = now + TimerBMs;
                        Send(call, call.RequestText);
                        break;
                    case CallPhase.Inviting or CallPhase.Ending when now >= call.GiveUpAtMs:
                        call.Failure ??= call.Phase == CallPhase.Inviting ? "INVITE timed out" : "BYE timed out";
                        call.Talking = false;
                        call.Phase = CallPhase.Done;
                        break;
                    case CallPhase.Inviting or CallPhase.Ending when now >= call.NextRetransmitMs && _ws is null
                        && !(call.Phase == CallPhase.Inviting && call.Provisional):
                        Send(call, call.RequestText);
                        Retransmissions++;
                        call.RetransmitIntervalMs = Math.Min(4000, call.RetransmitIntervalMs * 2);
                        call.NextRetransmitMs = now + call.RetransmitIntervalMs;
                        break;
                }
            }
        }
    }

    private void Receive()
    {
        var buffer = new byte[65536];
        _socket.ReceiveTimeout = 200;
        while (_running)
        {
            int n;
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            try
            {
                n = _socket.ReceiveFrom(buffer, ref from);
            }
            catch (SocketException)
            {
                continue;
            }
            Dispatch(buffer, n, (IPEndPoint)from);
        }
    }

    /// <summary>A message on a call's WebSocket connection (its receive loop).</summary>
    private void OnWebSocketMessage(ProbeCall connection, byte[] buffer, int length) => Dispatch(buffer, length, null);

    private void Dispatch(byte[] buffer, int length, IPEndPoint? from)
    {
        var message = SipText.Parse(buffer.AsSpan(0, length));
        if (message?.Header("Call-ID") is not { } callId || !_byCallId.TryGetValue(callId, out var call))
        {
            UnknownMessages++;
            return;
        }
        lock (call.Gate)
        {
            if (message.IsResponse)
            {
                OnResponse(call, message);
            }
            else
            {
                OnRequest(call, message, from);
            }
        }
    }

    private void OnResponse(ProbeCall call, SipText response)
    {
        var status = response.Status;
        if (response.CSeqMethod == "INVITE")
        {
            if (status < 200)
            {
                call.Provisional = true;
                return;
            }
            call.ToHeader = response.Header("To") ?? call.ToHeader;
            if (status >= 300)
            {
                // RFC 3261 §17.1.1.3: the ACK of a non-2xx final answer reuses the INVITE's branch.
                Send(call, Request("ACK", $"sip:{_options.Number}@{_options.Server}", call, call.ToHeader, 1, "", ""));
                if (call.Phase == CallPhase.Inviting)
                {
                    call.FinalStatus = status;
                    call.Failure = $"INVITE answered {response.StartLine[8..]}";
                    call.Phase = CallPhase.Done;
                }
                return;
            }
            if (call.Phase != CallPhase.Inviting)
            {
                if (call.AckText.Length > 0)
                {
                    Send(call, call.AckText); // a retransmitted 2xx: ACK again (§13.2.2.4)
                }
                return;
            }
            call.FinalStatus = status;
            call.RemoteTarget = response.ContactUri() ?? $"sip:{_options.Number}@{_options.Server}";
            var saved = call.Branch;
            call.Branch = NewBranch();
            call.AckText = Request("ACK", call.RemoteTarget, call, call.ToHeader, 1, "", "");
            call.Branch = saved;
            Send(call, call.AckText);
            if (!ReadAnswer(call, response.Body, _nowMs(), out var failure))
            {
                call.Failure = failure;
                call.Phase = CallPhase.Ending;
                call.Branch = NewBranch();
                call.RequestText = Request("BYE", call.RemoteTarget, call, call.ToHeader, 2, "", "");
                call.NextRetransmitMs = _nowMs() + 500;
                call.GiveUpAtMs = _nowMs() + TimerBMs;
                Send(call, call.RequestText);
                return;
            }
            call.AnsweredAtMs = _nowMs();
            call.Phase = CallPhase.Talking;
            _media.Add(call);
        }
        else if (response.CSeqMethod == "BYE" && status >= 200 && call.Phase == CallPhase.Ending)
        {
            call.Phase = CallPhase.Done;
        }
    }

    private void OnRequest(ProbeCall call, SipText request, IPEndPoint? from)
    {
        if (request.Method == "ACK")
        {
            return;
        }
        var reply = new StringBuilder("SIP/2.0 200 OK\r\n");
        foreach (var via in request.All("Via"))
        {
            reply.Append("Via: ").Append(via).Append("\r\n");
        }
        reply.Append("From: ").Append(request.Header("From")).Append("\r\nTo: ").Append(request.Header("To"))
            .Append("\r\nCall-ID: ").Append(call.CallId).Append("\r\nCSeq: ").Append(request.Header("CSeq"))
            .Append("\r\nContent-Length: 0\r\n\r\n");
        if (from is null)
        {
            _ws?.Send(call, reply.ToString());
        }
        else
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(reply.ToString()), from);
        }
        if (request.Method == "BYE" && call.Phase is CallPhase.Talking or CallPhase.Inviting)
        {
            call.ServerHungUp = true;
            call.Failure ??= "BYE from the server";
            call.Talking = false;
            call.Phase = CallPhase.Done;
        }
    }

    /// <summary>The SDP answer: where to send (c=, m=) and, for SRTP, the answerer's key (RFC 4568 §6.1).</summary>
    private static bool ReadAnswer(ProbeCall call, string sdp, double nowMs, out string? failure)
    {
        failure = null;
        string? address = null, crypto = null, profile = null;
        var port = 0;
        foreach (var raw in sdp.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith("c=IN IP4 ", StringComparison.Ordinal))
            {
                address = line[9..].Trim();
            }
            else if (line.StartsWith("m=audio ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                port = int.Parse(parts[1], CultureInfo.InvariantCulture);
                profile = parts[2];
            }
            else if (line.StartsWith("a=crypto:", StringComparison.Ordinal))
            {
                crypto ??= line[9..];
            }
        }
        if (address is null || port == 0)
        {
            failure = "answer without c= or m=audio";
            return false;
        }
        call.MediaTarget = new IPEndPoint(IPAddress.Parse(address), port);
        call.Target = new SocketAddressHolder(call.MediaTarget);
        if (call.WebRtc is { } web)
        {
            failure = profile != "UDP/TLS/RTP/SAVPF" ? $"WebRTC offer answered {profile}" : web.ReadAnswer(sdp, nowMs);
            return failure is null;
        }
        if (!call.Srtp)
        {
            if (crypto is not null || profile != "RTP/AVP")
            {
                failure = $"plain offer answered {profile}{(crypto is null ? "" : " with a=crypto")}";
                return false;
            }
            return true;
        }
        if (profile != "RTP/SAVP" || crypto is null)
        {
            failure = $"SRTP offer answered {profile} {(crypto is null ? "without" : "with")} a=crypto";
            return false;
        }
        var error = SdesNegotiation.AcceptAnswer(call.Offered!, crypto, out var local, out var remote);
        if (error != SdesError.None || local is null || remote is null)
        {
            failure = $"SDES answer refused: {error}";
            return false;
        }
        call.Outbound = local.CreateContext(SrtpDirection.Outbound);
        call.Inbound = remote.CreateContext(SrtpDirection.Inbound);
        return true;
    }

    private string Sdp(ProbeCall call)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"v=0\r\no=probe {call.Index} 1 IN IP4 {_options.Local}\r\ns=probe\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"c=IN IP4 {_options.Local}\r\nt=0 0\r\n");
        if (call.WebRtc is { } web)
        {
            return sb.Append(web.OfferMedia(_options.RtpPort, _options.Local)).ToString();
        }
        sb.Append(CultureInfo.InvariantCulture, $"m=audio {_options.RtpPort} {(call.Srtp ? "RTP/SAVP" : "RTP/AVP")} 0\r\n");
        sb.Append("a=rtpmap:0 PCMU/8000\r\na=ptime:20\r\na=sendrecv\r\n");
        if (call.Srtp)
        {
            call.Offered = SdesCryptoAttribute.CreateOffer([SrtpProfile.AesCm128HmacSha1Tag80]);
            foreach (var c in call.Offered)
            {
                sb.Append("a=crypto:").Append(c.Format()).Append("\r\n");
            }
        }
        return sb.ToString();
    }

    private string Request(string method, string uri, ProbeCall call, string to, int cseq, string extra, string body) =>
        $"{method} {uri} SIP/2.0\r\nVia: SIP/2.0/{(_ws is null ? "UDP" : "WS")} {_local};branch={call.Branch};rport\r\nMax-Forwards: 70\r\n" +
        $"From: <sip:probe@{_options.Local}>;tag={call.FromTag}\r\nTo: {to}\r\nCall-ID: {call.CallId}\r\n" +
        $"CSeq: {cseq} {method}\r\n{extra}User-Agent: Telephony.RtpProbe\r\n" +
        $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";

    // Unique across runs too (RFC 3261 §8.1.1.7): the server matches a reused branch + sent-by to the old transaction
    // for 32 s and absorbs the "retransmission".
    private string NewBranch() => $"z9hG4bK-{_runId}-{Interlocked.Increment(ref _branch).ToString(CultureInfo.InvariantCulture)}";

    private void Send(ProbeCall call, string text)
    {
        if (_ws is not null)
        {
            _ws.Send(call, text);
            return;
        }
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(text), _options.Server);
        }
        catch (SocketException)
        {
            // retransmission covers it
        }
    }

    public void Dispose()
    {
        _running = false;
        _thread?.Join();
        _socket.Dispose();
        _ws?.Dispose();
    }
}
