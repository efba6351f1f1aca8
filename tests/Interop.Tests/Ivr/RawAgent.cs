using System.Globalization;
using System.Net;
using System.Text;

namespace Telephony.Interop.Tests.Ivr;

/// <summary>
/// A scripted agent phone over <see cref="RawSipClient"/> (UDP): waits for the server's INVITE, answers 200 with SDP
/// (no RTP), takes the ACK, then can send an in-dialog REFER (RFC 3515) and collect the NOTIFY sipfrags, and BYE.
/// </summary>
internal sealed class RawAgent(RawSipClient client, string user)
{
    private readonly string localTag = RawSipClient.NewToken();
    private readonly List<string> notifies = [];
    private string? invite;
    private int cseq;

    /// <summary>The INVITE the server sent us, once received.</summary>
    public string? Invite => invite;

    /// <summary>Sipfrag bodies of the NOTIFYs received (in order).</summary>
    public IReadOnlyList<string> NotifyBodies => notifies;

    /// <summary>Requests seen in the dialog (start lines).</summary>
    public List<string> Requests { get; } = [];

    /// <summary>Waits for an INVITE and answers it 200 OK with an SDP on <paramref name="media"/>; true once ACKed.</summary>
    public async Task<bool> AnswerAsync(IPEndPoint media, TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            string? m = await client.ReceiveAsync(end - DateTime.UtcNow);
            if (m is null)
            {
                continue;
            }
            if (m.StartsWith("INVITE ", StringComparison.Ordinal) && invite is null)
            {
                invite = m;
                await client.SendAsync(Response(m, 200, "OK", RawCall.Sdp(media)));
            }
            else if (m.StartsWith("ACK ", StringComparison.Ordinal) && invite is not null)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Sends REFER with <paramref name="referTo"/> in the answered dialog; returns the final response status.</summary>
    public async Task<int> ReferAsync(string referTo, TimeSpan timeout)
    {
        string callId = SipText.Header(invite!, "Call-ID")!;
        await client.SendAsync(Request("REFER", $"Refer-To: {referTo}\r\nReferred-By: <sip:{user}@{client.Local}>\r\n"));
        DateTime end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            string? m = await client.ReceiveAsync(end - DateTime.UtcNow);
            if (m is null || await HandleRequestAsync(m))
            {
                continue;
            }
            if (SipText.Header(m, "Call-ID") == callId && (SipText.Header(m, "CSeq") ?? "").EndsWith("REFER", StringComparison.Ordinal)
                && SipText.StatusCode(m) >= 200)
            {
                return SipText.StatusCode(m);
            }
        }
        return 0;
    }

    /// <summary>Answers NOTIFYs (and a BYE) until a NOTIFY with a final sipfrag arrives; returns its body or null.</summary>
    public async Task<string?> WaitForFinalNotifyAsync(TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            string? final = notifies.FirstOrDefault(b => !b.StartsWith("SIP/2.0 1", StringComparison.Ordinal));
            if (final is not null)
            {
                return final;
            }
            string? m = await client.ReceiveAsync(end - DateTime.UtcNow);
            if (m is not null)
            {
                await HandleRequestAsync(m);
            }
        }
        return null;
    }

    /// <summary>BYE in the dialog (the transferor leaves after the final NOTIFY, RFC 5589 §6).</summary>
    public Task ByeAsync() => client.SendAsync(Request("BYE", ""));

    private async Task<bool> HandleRequestAsync(string m)
    {
        if (m.StartsWith("SIP/2.0", StringComparison.Ordinal))
        {
            return false;
        }
        Requests.Add(SipText.StartLine(m));
        if (m.StartsWith("NOTIFY ", StringComparison.Ordinal))
        {
            notifies.Add(RawCall.Body(m).TrimEnd());
        }
        if (!m.StartsWith("ACK ", StringComparison.Ordinal))
        {
            await client.SendAsync(Response(m, 200, "OK", null));
        }
        return true;
    }

    private string Request(string method, string extra)
    {
        string contact = SipText.Header(invite!, "Contact")!;
        string target = contact.Contains('<', StringComparison.Ordinal) ? contact[(contact.IndexOf('<') + 1)..contact.IndexOf('>')] : contact;
        string to = SipText.Header(invite!, "From")!;
        string from = SipText.Header(invite!, "To")! + ";tag=" + localTag;
        cseq++;
        return $"{method} {target} SIP/2.0\r\n" +
               $"Via: SIP/2.0/UDP {client.Local};branch={RawSipClient.NewBranch()};rport\r\n" +
               $"From: {from}\r\nTo: {to}\r\nCall-ID: {SipText.Header(invite!, "Call-ID")}\r\n" +
               $"CSeq: {cseq.ToString(CultureInfo.InvariantCulture)} {method}\r\nMax-Forwards: 70\r\n" +
               $"Contact: <sip:{user}@{client.Local}>\r\n{extra}Content-Length: 0\r\n\r\n";
    }

    private string Response(string request, int status, string reason, string? sdp)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"SIP/2.0 {status} {reason}\r\n");
        foreach (string via in SipText.Headers(request, "Via"))
        {
            sb.Append("Via: ").Append(via).Append("\r\n");
        }
        string to = SipText.Header(request, "To")!;
        if (request.StartsWith("INVITE ", StringComparison.Ordinal) && !to.Contains(";tag=", StringComparison.Ordinal))
        {
            to += ";tag=" + localTag;
        }
        sb.Append("From: ").Append(SipText.Header(request, "From")).Append("\r\n");
        sb.Append("To: ").Append(to).Append("\r\n");
        sb.Append("Call-ID: ").Append(SipText.Header(request, "Call-ID")).Append("\r\n");
        sb.Append("CSeq: ").Append(SipText.Header(request, "CSeq")).Append("\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"Contact: <sip:{user}@{client.Local}>\r\n");
        if (sdp is null)
        {
            sb.Append("Content-Length: 0\r\n\r\n");
        }
        else
        {
            sb.Append("Content-Type: application/sdp\r\n");
            sb.Append(CultureInfo.InvariantCulture, $"Content-Length: {Encoding.UTF8.GetByteCount(sdp)}\r\n\r\n{sdp}");
        }
        return sb.ToString();
    }
}
