using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Telephony.Interop.Tests.Security;

/// <summary>
/// What a scanner does, by hand over raw UDP: REGISTER or INVITE for a user, without credentials or answering the
/// challenge with a password; returns the final response and how long it took (send → final response). INVITE
/// finals are ACKed (RFC 3261 §17.1.1.3) so the server does not retransmit them into the next probe.
/// </summary>
internal sealed partial class SipProbe(RawSipClient client)
{
    private int _sequence;

    /// <summary>One request; with <paramref name="password"/> the challenge is answered first and the second final is returned.</summary>
    public async Task<(string Response, TimeSpan Took)> SendAsync(string method, string user, string? password, string dialed = "9000")
    {
        var callId = RawSipClient.NewToken() + "@probe";
        var tag = RawSipClient.NewToken();
        var (first, took) = await OnceAsync(method, user, dialed, callId, tag, 1, null);
        if (password is null)
        {
            return (first, took);
        }
        var code = SipText.StatusCode(first);
        var challenge = SipText.Header(first, code == 401 ? "WWW-Authenticate" : "Proxy-Authenticate")
            ?? throw new InvalidOperationException("no challenge: " + SipText.StartLine(first));
        var credentials = DigestAuth.Answer(challenge, method, RequestUri(method, dialed), user, password);
        var header = (code == 401 ? "Authorization: " : "Proxy-Authorization: ") + credentials;
        return await OnceAsync(method, user, dialed, callId, tag, 2, header);
    }

    /// <summary>Status line, then each header name and value in order, with tags, branches, nonces, Call-ID, CSeq
    /// numbers and SIP user parts blanked: what must be the same for every user.</summary>
    public static string Shape(string response)
    {
        var lines = response.Split("\r\n").TakeWhile(l => l.Length > 0).ToList();
        var sb = new StringBuilder(lines[0]).Append('\n');
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = line[..colon];
            var value = name.Equals("Call-ID", StringComparison.OrdinalIgnoreCase) ? "*" : Blanks().Replace(line[(colon + 1)..], "${k}*");
            sb.Append(name).Append(':').Append(value).Append('\n');
        }
        return sb.ToString();
    }

    private async Task<(string Response, TimeSpan Took)> OnceAsync(string method, string user, string dialed, string callId,
        string tag, int cseq, string? authorizationLine)
    {
        var local = client.Local;
        var branch = RawSipClient.NewBranch();
        var uri = RequestUri(method, dialed);
        var to = method == "REGISTER" ? $"<sip:{user}@127.0.0.1>" : $"<{uri}>";
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{method} {uri} SIP/2.0\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"Via: SIP/2.0/UDP {local.Address}:{local.Port};branch={branch};rport\r\n");
        sb.Append("Max-Forwards: 70\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"From: <sip:{user}@127.0.0.1>;tag={tag}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"To: {to}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"Call-ID: {callId}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"CSeq: {cseq} {method}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"Contact: <sip:{user}@{local.Address}:{local.Port}>\r\n");
        if (method == "REGISTER")
        {
            sb.Append("Expires: 60\r\n");
        }
        if (authorizationLine is not null)
        {
            sb.Append(authorizationLine).Append("\r\n");
        }
        var body = method == "INVITE"
            ? $"v=0\r\no=- {++_sequence} 1 IN IP4 {local.Address}\r\ns=-\r\nc=IN IP4 {local.Address}\r\nt=0 0\r\n" +
              "m=audio 40000 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
            : "";
        if (body.Length > 0)
        {
            sb.Append("Content-Type: application/sdp\r\n");
        }
        sb.Append(CultureInfo.InvariantCulture, $"Content-Length: {Encoding.ASCII.GetByteCount(body)}\r\n\r\n").Append(body);

        var clock = Stopwatch.StartNew();
        await client.SendAsync(sb.ToString());
        var response = await client.ReceiveFinalAsync(callId, TimeSpan.FromSeconds(3))
            ?? throw new TimeoutException($"no final response to {method} for {user}");
        var took = clock.Elapsed;
        if (method == "INVITE")
        {
            await client.SendAsync(
                $"ACK {uri} SIP/2.0\r\nVia: SIP/2.0/UDP {local.Address}:{local.Port};branch={branch};rport\r\nMax-Forwards: 70\r\n" +
                $"From: <sip:{user}@127.0.0.1>;tag={tag}\r\nTo: {SipText.Header(response, "To")}\r\nCall-ID: {callId}\r\n" +
                $"CSeq: {cseq} ACK\r\nContent-Length: 0\r\n\r\n");
        }
        return (response, took);
    }

    private string RequestUri(string method, string dialed) =>
        method == "REGISTER"
            ? $"sip:{client.Server.Address}:{client.Server.Port}"
            : $"sip:{dialed}@{client.Server.Address}:{client.Server.Port}";

    [GeneratedRegex("(?<k>branch=|tag=|nonce=\"|sip:)[^;\"@>, ]+")]
    private static partial Regex Blanks();
}
