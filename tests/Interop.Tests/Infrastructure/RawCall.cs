using System.Globalization;
using System.Net;
using System.Text;

namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>
/// A scripted UAC dialog over a <see cref="RawSipClient"/> (RFC 3261 §12-§15): INVITE with any SDP, ACK (with an
/// optional SDP answer), re-INVITE with or without SDP, BYE. Responses are matched by Call-ID and CSeq; requests
/// the server sends us (BYE) are answered with 200 and kept in <see cref="ReceivedRequests"/>.
/// </summary>
public sealed class RawCall
{
    private static int sdpVersion;
    private readonly RawSipClient client;
    private readonly string fromUser;
    private readonly string requestUri;
    private readonly List<string> receivedRequests = [];
    private string? toHeader;
    private string remoteTarget;
    private int cseq;

    /// <summary>A call from <paramref name="fromUser"/> to <paramref name="number"/> at the client's server.</summary>
    public RawCall(RawSipClient client, string number, string fromUser = "+15550000001")
    {
        this.client = client;
        this.fromUser = fromUser;
        requestUri = $"sip:{number}@{client.Server.Address}:{client.Server.Port}";
        remoteTarget = requestUri;
        Number = number;
    }

    /// <summary>The dialed number.</summary>
    public string Number { get; }

    /// <summary>This dialog's Call-ID.</summary>
    public string CallId { get; } = RawSipClient.NewToken() + "@raw";

    /// <summary>Our From tag.</summary>
    public string FromTag { get; } = RawSipClient.NewToken();

    /// <summary>Requests the server sent us in this dialog (start lines).</summary>
    public IReadOnlyList<string> ReceivedRequests => receivedRequests;

    /// <summary>An SDP body offering <paramref name="payloadTypes"/> (with rtpmaps for 0, 8, 18 and 101) on our media port.</summary>
    public static string Sdp(IPEndPoint media, string direction = "sendrecv", params int[] payloadTypes)
    {
        if (payloadTypes.Length == 0)
        {
            payloadTypes = [0, 101];
        }

        var sb = new StringBuilder();
        sb.Append("v=0\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"o=- 4242 {Interlocked.Increment(ref sdpVersion)} IN IP4 {media.Address}\r\n");
        sb.Append("s=-\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"c=IN IP4 {media.Address}\r\n");
        sb.Append("t=0 0\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"m=audio {media.Port} RTP/AVP {string.Join(' ', payloadTypes)}\r\n");
        foreach (int pt in payloadTypes)
        {
            sb.Append(pt switch
            {
                0 => "a=rtpmap:0 PCMU/8000\r\n",
                8 => "a=rtpmap:8 PCMA/8000\r\n",
                18 => "a=rtpmap:18 G729/8000\r\n",
                101 => "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n",
                _ => string.Empty,
            });
        }

        sb.Append("a=ptime:20\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"a={direction}\r\n");
        return sb.ToString();
    }

    /// <summary>
    /// Sends the INVITE (CSeq 1) and returns its final response (null on timeout). A 2xx is ACKed here unless
    /// <paramref name="ack"/> is false; a non-2xx is ACKed as RFC 3261 §17.1.1.3 requires.
    /// </summary>
    public async Task<string?> InviteAsync(string? sdp, TimeSpan? timeout = null, bool ack = true)
    {
        string branch = RawSipClient.NewBranch();
        cseq = 1;
        await client.SendAsync(Request("INVITE", requestUri, branch, cseq, sdp)).ConfigureAwait(false);
        string? final = await ReceiveFinalAsync(cseq, "INVITE", timeout ?? TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        if (final is null)
        {
            return null;
        }

        int code = SipText.StatusCode(final);
        toHeader = SipText.Header(final, "To");
        if (code >= 300)
        {
            // Non-2xx ACK: same branch and Request-URI as the INVITE, To from the response.
            await client.SendAsync(Request("ACK", requestUri, branch, cseq, null)).ConfigureAwait(false);
            return final;
        }

        if (SipText.Header(final, "Contact") is { } contact && ExtractUri(contact) is { } target)
        {
            remoteTarget = target;
        }

        if (ack)
        {
            await AckAsync().ConfigureAwait(false);
        }

        return final;
    }

    /// <summary>ACK for the last INVITE's 2xx (new branch, RFC 3261 §13.2.2.4), with an SDP answer when given.</summary>
    public Task AckAsync(string? sdp = null) =>
        client.SendAsync(Request("ACK", remoteTarget, RawSipClient.NewBranch(), cseq, sdp));

    /// <summary>re-INVITE in the dialog (SDP offer or none); returns the final response. The caller ACKs a 2xx with <see cref="AckAsync"/>.</summary>
    public async Task<string?> ReInviteAsync(string? sdp, TimeSpan? timeout = null)
    {
        cseq++;
        await client.SendAsync(Request("INVITE", remoteTarget, RawSipClient.NewBranch(), cseq, sdp)).ConfigureAwait(false);
        return await ReceiveFinalAsync(cseq, "INVITE", timeout ?? TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }

    /// <summary>BYE; returns the final response.</summary>
    public async Task<string?> ByeAsync(TimeSpan? timeout = null)
    {
        cseq++;
        await client.SendAsync(Request("BYE", remoteTarget, RawSipClient.NewBranch(), cseq, null)).ConfigureAwait(false);
        return await ReceiveFinalAsync(cseq, "BYE", timeout ?? TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }

    /// <summary>Waits for the server to send a request with <paramref name="method"/> (answering it with 200).</summary>
    public async Task<bool> WaitForRequestAsync(string method, TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            if (receivedRequests.Any(r => r.StartsWith(method + " ", StringComparison.Ordinal)))
            {
                return true;
            }

            string? m = await client.ReceiveAsync(end - DateTime.UtcNow).ConfigureAwait(false);
            if (m is not null)
            {
                await HandleAsync(m).ConfigureAwait(false);
            }
        }

        return receivedRequests.Any(r => r.StartsWith(method + " ", StringComparison.Ordinal));
    }

    /// <summary>The audio address of an SDP body (<c>c=</c> and <c>m=audio</c> port), or null.</summary>
    public static IPEndPoint? MediaEndPoint(string sdp)
    {
        IPAddress? address = null;
        int port = -1;
        foreach (string raw in sdp.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.StartsWith("c=IN IP4 ", StringComparison.Ordinal) && IPAddress.TryParse(line[9..].Trim(), out IPAddress? a))
            {
                address = a;
            }
            else if (line.StartsWith("m=audio ", StringComparison.Ordinal) &&
                     int.TryParse(line[8..].Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out int p))
            {
                port = p;
            }
        }

        return address is not null && port > 0 ? new IPEndPoint(address, port) : null;
    }

    /// <summary>The body of a SIP message (after the blank line).</summary>
    public static string Body(string message)
    {
        int i = message.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return i < 0 ? string.Empty : message[(i + 4)..];
    }

    private async Task<string?> ReceiveFinalAsync(int number, string method, TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            string? m = await client.ReceiveAsync(end - DateTime.UtcNow).ConfigureAwait(false);
            if (m is null)
            {
                continue;
            }

            if (await HandleAsync(m).ConfigureAwait(false))
            {
                continue;
            }

            if (SipText.Header(m, "Call-ID") == CallId && SipText.StatusCode(m) >= 200 &&
                SipText.Header(m, "CSeq") is { } c && c.Equals($"{number} {method}", StringComparison.OrdinalIgnoreCase))
            {
                return m;
            }
        }

        return null;
    }

    /// <summary>Answers a request from the server; true when <paramref name="message"/> was a request.</summary>
    private async Task<bool> HandleAsync(string message)
    {
        if (SipText.StatusCode(message) != 0)
        {
            return false;
        }

        receivedRequests.Add(SipText.StartLine(message));
        if (message.StartsWith("ACK ", StringComparison.Ordinal))
        {
            return true;
        }

        var sb = new StringBuilder("SIP/2.0 200 OK\r\n");
        foreach (string via in SipText.Headers(message, "Via"))
        {
            sb.Append(CultureInfo.InvariantCulture, $"Via: {via}\r\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"From: {SipText.Header(message, "From")}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"To: {SipText.Header(message, "To")}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"Call-ID: {SipText.Header(message, "Call-ID")}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"CSeq: {SipText.Header(message, "CSeq")}\r\n");
        sb.Append("Content-Length: 0\r\n\r\n");
        await client.SendAsync(sb.ToString()).ConfigureAwait(false);
        return true;
    }

    private string Request(string method, string uri, string branch, int number, string? sdp)
    {
        IPEndPoint local = client.Local;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{method} {uri} SIP/2.0\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"Via: SIP/2.0/UDP {local.Address}:{local.Port};branch={branch};rport\r\n");
        sb.Append("Max-Forwards: 70\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"From: <sip:{fromUser}@{local.Address}:{local.Port}>;tag={FromTag}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"To: {toHeader ?? $"<{requestUri}>"}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"Call-ID: {CallId}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"CSeq: {number} {method}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"Contact: <sip:{fromUser}@{local.Address}:{local.Port}>\r\n");
        if (sdp is not null)
        {
            sb.Append("Content-Type: application/sdp\r\n");
        }

        byte[] body = Encoding.UTF8.GetBytes(sdp ?? string.Empty);
        sb.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n");
        sb.Append(sdp);
        return sb.ToString();
    }

    private static string? ExtractUri(string nameAddr)
    {
        int lt = nameAddr.IndexOf('<', StringComparison.Ordinal);
        int gt = nameAddr.IndexOf('>', StringComparison.Ordinal);
        return lt >= 0 && gt > lt ? nameAddr[(lt + 1)..gt] : nameAddr.Split(';')[0].Trim();
    }
}
