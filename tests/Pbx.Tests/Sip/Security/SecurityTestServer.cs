using System.Globalization;
using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Server;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Registrar;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Tests.Sip.Security;

/// <summary>
/// The whole <see cref="PbxServer"/> (registrar, call manager, security gate) over <see cref="RecordingSipTransport"/> on a
/// fake clock, with the sample's users 1001-1004 and trunk 127.0.0.2; requests are delivered as if received from an
/// address, and the server's final response is read back.
/// </summary>
internal sealed class SecurityTestServer : IAsyncDisposable
{
    public const string Domain = "192.0.2.1";
    private int _sequence;

    public SecurityTestServer(Action<SipOptions>? configure = null, Action<PbxOptions>? configureOptions = null)
    {
        var options = new PbxOptions
        {
            Extensions = [.. Enumerable.Range(1, 4).Select(i => new ExtensionOptions { Number = $"100{i}", Password = $"pass100{i}" })],
            Trunks = [new TrunkOptions { Name = "local-trunk", AllowFrom = ["127.0.0.2"] }],
        };
        configure?.Invoke(options.Sip);
        configureOptions?.Invoke(options);
        Server = new PbxServer(options, new Telephony.Pbx.Server.PbxPorts { Transport = Transport }, NullLoggerFactory.Instance, Time);
    }

    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));

    public RecordingSipTransport Transport { get; } = new();

    public PbxServer Server { get; }

    /// <summary>The transport requests arrive over (UDP unless a test switches to TCP or TLS).</summary>
    public SipProtocol SourceProtocol { get; set; } = SipProtocol.Udp;

    /// <summary>Delivers <paramref name="request"/> from <paramref name="source"/>; returns the final response or null (dropped).</summary>
    public async Task<SipResponse?> SendAsync(SipRequest request, string source, int port = 5062)
    {
        var remote = new SipEndPoint(SourceProtocol, new IPEndPoint(IPAddress.Parse(source), port));
        var before = Transport.Sent.Count;
        await Server.Stack.Transactions.OnMessageAsync(request, remote, RecordingSipTransport.Local);
        return Transport.Sent.Skip(before).Select(s => s.Message).OfType<SipResponse>()
            .LastOrDefault(r => r.StatusCode >= 200 && r.CallId == request.CallId);
    }

    /// <summary>A REGISTER for <paramref name="aor"/> sent from <paramref name="source"/>, optionally with credentials.</summary>
    public SipRequest Register(string aor, string source, string? authorization = null, string? callId = null, uint cseq = 1)
    {
        var r = new SipRequest(SipMethod.Register, SipUri.Parse($"sip:{Domain}"));
        AddCommon(r, aor, $"<sip:{aor}@{Domain}>", source, callId, cseq);
        r.Headers.Add(HeaderName.Contact, $"<sip:{aor}@{source}:5062>");
        r.Headers.Add(HeaderName.Expires, "600");
        if (authorization is not null)
        {
            r.Headers.Add(HeaderName.Authorization, authorization);
        }
        r.Headers.Add(HeaderName.ContentLength, "0");
        return r;
    }

    /// <summary>An INVITE from <paramref name="caller"/> to <paramref name="dialed"/> with an SDP offer.</summary>
    public SipRequest Invite(string caller, string dialed, string source, string? proxyAuthorization = null, string? callId = null,
        uint cseq = 1)
    {
        var r = new SipRequest(SipMethod.Invite, SipUri.Parse($"sip:{dialed}@{Domain}"));
        AddCommon(r, caller, $"<sip:{dialed}@{Domain}>", source, callId, cseq);
        r.Headers.Add(HeaderName.Contact, $"<sip:{caller}@{source}:5062>");
        if (proxyAuthorization is not null)
        {
            r.Headers.Add(HeaderName.ProxyAuthorization, proxyAuthorization);
        }
        r.Headers.Add(HeaderName.ContentType, "application/sdp");
        r.Body = System.Text.Encoding.ASCII.GetBytes(
            $"v=0\r\no=- 1 1 IN IP4 {source}\r\ns=-\r\nc=IN IP4 {source}\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n");
        return r;
    }

    /// <summary>An OPTIONS (out of dialog, or in a dialog with <paramref name="toTag"/>).</summary>
    public SipRequest Options(string source, string? toTag = null)
    {
        var r = new SipRequest(SipMethod.Options, SipUri.Parse($"sip:{Domain}"));
        AddCommon(r, "probe", $"<sip:{Domain}>" + (toTag is null ? "" : ";tag=" + toTag), source, null, 1);
        r.Headers.Add(HeaderName.ContentLength, "0");
        return r;
    }

    /// <summary>Answers the challenge in <paramref name="response"/> for <paramref name="request"/>'s method and Request-URI.</summary>
    public static string Answer(SipResponse response, SipRequest request, string user, string password, string? uri = null)
    {
        var header = response.StatusCode == 401 ? HeaderName.WwwAuthenticate : HeaderName.ProxyAuthenticate;
        return DigestClient.CreateAuthorization(response.Headers.Get(header)!, request.Method, uri ?? request.RequestUri.ToString(),
            user, password)!;
    }

    /// <summary>REGISTER, answer the 401 with <paramref name="password"/>; returns the second final response.</summary>
    public async Task<SipResponse?> RegisterWithPasswordAsync(string aor, string source, string password, string? user = null)
    {
        var callId = NewCallId();
        var first = Register(aor, source, callId: callId);
        var challenge = await SendAsync(first, source);
        Assert.Equal(401, challenge?.StatusCode);
        return await SendAsync(Register(aor, source, Answer(challenge!, first, user ?? aor, password), callId, 2), source);
    }

    /// <summary>INVITE, answer the 407 with <paramref name="password"/>; returns the second final response.</summary>
    public async Task<SipResponse?> InviteWithPasswordAsync(string caller, string dialed, string source, string password)
    {
        var callId = NewCallId();
        var first = Invite(caller, dialed, source, callId: callId);
        var challenge = await SendAsync(first, source);
        Assert.Equal(407, challenge?.StatusCode);
        return await SendAsync(Invite(caller, dialed, source, Answer(challenge!, first, caller, password), callId, 2), source);
    }

    public string NewCallId() => string.Create(CultureInfo.InvariantCulture, $"call-{Interlocked.Increment(ref _sequence)}@test");

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private void AddCommon(SipRequest r, string fromUser, string to, string source, string? callId, uint cseq)
    {
        var n = Interlocked.Increment(ref _sequence);
        r.Headers.Add(HeaderName.Via, string.Create(CultureInfo.InvariantCulture, $"SIP/2.0/UDP {source}:5062;branch=z9hG4bKsec{n};rport"));
        r.Headers.Add(HeaderName.MaxForwards, "70");
        r.Headers.Add(HeaderName.From, $"<sip:{fromUser}@{Domain}>;tag=f{n}");
        r.Headers.Add(HeaderName.To, to);
        r.Headers.Add(HeaderName.CallId, callId ?? NewCallId());
        r.Headers.Add(HeaderName.CSeq, string.Create(CultureInfo.InvariantCulture, $"{cseq} {r.Method}"));
    }
}
