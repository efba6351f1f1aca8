using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>
/// A scripted SIP peer over raw UDP for edge cases (REGISTER/un-REGISTER with digest, OPTIONS, garbage):
/// builds requests as text, sends them, and reads responses with bounded waits.
/// </summary>
public sealed class RawSipClient : IDisposable
{
    private readonly UdpClient udp;
    private Task<UdpReceiveResult>? pending;

    /// <summary>Binds <paramref name="localAddress"/>:<paramref name="localPort"/>; requests go to <paramref name="server"/>.</summary>
    public RawSipClient(IPEndPoint server, int localPort, string localAddress = "127.0.0.1")
    {
        Server = server;
        udp = new UdpClient(new IPEndPoint(IPAddress.Parse(localAddress), localPort));
        Local = (IPEndPoint)udp.Client.LocalEndPoint!;
    }

    /// <summary>The server.</summary>
    public IPEndPoint Server { get; }

    /// <summary>Our bound address.</summary>
    public IPEndPoint Local { get; }

    /// <summary>A fresh RFC 3261 branch.</summary>
    public static string NewBranch() => "z9hG4bK" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>A fresh tag / Call-ID token.</summary>
    public static string NewToken() => Guid.NewGuid().ToString("N")[..12];

    /// <summary>Sends raw bytes.</summary>
    public Task SendAsync(byte[] datagram) => udp.SendAsync(datagram, datagram.Length, Server);

    /// <summary>Sends text (UTF-8).</summary>
    public Task SendAsync(string message) => SendAsync(Encoding.UTF8.GetBytes(message));

    /// <summary>Next datagram as text, or null after <paramref name="timeout"/>. A receive that outlives its wait is
    /// kept for the next call instead of being cancelled: callers poll with short waits (20 a second in the scripted
    /// day), and a datagram must never fall between a cancelled receive and the next one (a lost INVITE comes back
    /// only as the server's retransmission 500 ms later, which skews every timing the test measures).</summary>
    public async Task<string?> ReceiveAsync(TimeSpan timeout)
    {
        pending ??= udp.ReceiveAsync();
        timeout = timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout;
        try
        {
            UdpReceiveResult r = await pending.WaitAsync(timeout).ConfigureAwait(false);
            pending = null;
            return Encoding.UTF8.GetString(r.Buffer);
        }
        catch (TimeoutException)
        {
            return null; // the receive stays pending for the next call
        }
        catch (SocketException)
        {
            pending = null;
            return null; // ICMP port unreachable: nobody listening
        }
    }

    /// <summary>Everything that arrives within <paramref name="window"/>.</summary>
    public async Task<List<string>> ReceiveAllAsync(TimeSpan window)
    {
        var all = new List<string>();
        DateTime end = DateTime.UtcNow + window;
        while (DateTime.UtcNow < end)
        {
            string? m = await ReceiveAsync(end - DateTime.UtcNow).ConfigureAwait(false);
            if (m is not null)
            {
                all.Add(m);
            }
        }

        return all;
    }

    /// <summary>Waits for the final (&gt;= 200) response whose Call-ID is <paramref name="callId"/>; null on timeout.</summary>
    public async Task<string?> ReceiveFinalAsync(string callId, TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            string? m = await ReceiveAsync(end - DateTime.UtcNow).ConfigureAwait(false);
            if (m is not null && SipText.StatusCode(m) >= 200 && SipText.Header(m, "Call-ID") == callId)
            {
                return m;
            }
        }

        return null;
    }

    /// <summary>An OPTIONS request text.</summary>
    public string BuildOptions(string callId, string? branch = null) =>
        $"OPTIONS sip:{Server.Address}:{Server.Port} SIP/2.0\r\n" +
        $"Via: SIP/2.0/UDP {Local.Address}:{Local.Port};branch={branch ?? NewBranch()};rport\r\n" +
        "Max-Forwards: 70\r\n" +
        $"From: <sip:probe@{Local.Address}:{Local.Port}>;tag={NewToken()}\r\n" +
        $"To: <sip:{Server.Address}:{Server.Port}>\r\n" +
        $"Call-ID: {callId}\r\n" +
        "CSeq: 1 OPTIONS\r\n" +
        "Accept: application/sdp\r\n" +
        "Content-Length: 0\r\n\r\n";

    /// <summary>OPTIONS; returns the final response or null.</summary>
    public async Task<string?> OptionsAsync(TimeSpan timeout)
    {
        string callId = NewToken() + "@options";
        await SendAsync(BuildOptions(callId)).ConfigureAwait(false);
        return await ReceiveFinalAsync(callId, timeout).ConfigureAwait(false);
    }

    /// <summary>
    /// REGISTER <paramref name="user"/>@<paramref name="domain"/> with Contact <paramref name="contact"/> (default: us) and
    /// Expires <paramref name="expires"/>; answers one 401/407 challenge with digest. Returns every final response in order.
    /// </summary>
    public async Task<List<string>> RegisterAsync(
        string user, string password, int expires, string? contact = null, string domain = "127.0.0.1", TimeSpan? timeout = null)
    {
        string callId = NewToken() + "@register";
        string tag = NewToken();
        var finals = new List<string>();
        string? authHeader = null;
        for (int cseq = 1; cseq <= 2; cseq++)
        {
            string? response = await RegisterOnceAsync(user, expires, authHeader, callId, tag, cseq, contact, domain, timeout).ConfigureAwait(false);
            if (response is null)
            {
                break;
            }

            finals.Add(response);
            int code = SipText.StatusCode(response);
            if (code is not (401 or 407) || authHeader is not null)
            {
                break;
            }

            string challengeName = code == 401 ? "WWW-Authenticate" : "Proxy-Authenticate";
            string? challenge = SipText.Headers(response, challengeName)
                .FirstOrDefault(h => h.Contains("SHA-256", StringComparison.OrdinalIgnoreCase)) ?? SipText.Header(response, challengeName);
            if (challenge is null)
            {
                break;
            }

            string credentials = DigestAuth.Answer(challenge, "REGISTER", $"sip:{domain}", user, password);
            authHeader = (code == 401 ? "Authorization: " : "Proxy-Authorization: ") + credentials;
        }

        return finals;
    }

    /// <summary>
    /// One REGISTER transaction: sends the request with the given Call-ID, From tag, CSeq and optional credentials
    /// header line (<c>Authorization: Digest ...</c>), returns the final response or null on timeout.
    /// </summary>
    public async Task<string?> RegisterOnceAsync(
        string user, int expires, string? authorizationLine, string callId, string fromTag, int cseq,
        string? contact = null, string domain = "127.0.0.1", TimeSpan? timeout = null)
    {
        contact ??= $"<sip:{user}@{Local.Address}:{Local.Port}>";
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"REGISTER sip:{domain} SIP/2.0\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"Via: SIP/2.0/UDP {Local.Address}:{Local.Port};branch={NewBranch()};rport\r\n");
        sb.Append("Max-Forwards: 70\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"From: <sip:{user}@{domain}>;tag={fromTag}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"To: <sip:{user}@{domain}>\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"Call-ID: {callId}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"CSeq: {cseq} REGISTER\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"Contact: {contact}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"Expires: {expires}\r\n");
        if (authorizationLine is not null)
        {
            sb.Append(authorizationLine).Append("\r\n");
        }

        sb.Append("Content-Length: 0\r\n\r\n");
        await SendAsync(sb.ToString()).ConfigureAwait(false);
        return await ReceiveFinalAsync(callId, timeout ?? TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        udp.Dispose();
        _ = pending?.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
