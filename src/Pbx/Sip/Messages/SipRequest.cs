using System.Text;

namespace Telephony.Pbx.Sip.Messages;

/// <summary>A SIP request: Request-Line = Method SP Request-URI SP SIP-Version (RFC 3261 §7.1).</summary>
public sealed class SipRequest : SipMessage
{
    private SipUri _requestUri;

    public SipRequest(string method, SipUri requestUri)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        Method = method;
        _requestUri = requestUri ?? throw new ArgumentNullException(nameof(requestUri));
    }

    /// <summary>The method token, case-sensitive as received (compare with <see cref="SipMethod"/>).</summary>
    public string Method { get; }

    public SipUri RequestUri
    {
        get => _requestUri;
        set => _requestUri = value ?? throw new ArgumentNullException(nameof(value));
    }

    private protected override void AppendStartLine(StringBuilder sb)
    {
        sb.Append(Method).Append(' ');
        RequestUri.AppendTo(sb);
        sb.Append(" SIP/2.0");
    }
}
