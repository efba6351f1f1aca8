using System.Globalization;
using System.Text;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Calls;

/// <summary>
/// Pieces of a blind transfer by REFER (RFC 3515): the target named by <c>Refer-To</c> (§2.1) and the implicit
/// subscription's NOTIFY bodies, <c>message/sipfrag</c> status lines (§2.4.5, RFC 3420).
/// </summary>
public static class ReferTransfer
{
    /// <summary>Content type of the NOTIFY bodies (RFC 3515 §2.4.5).</summary>
    public const string SipFragContentType = "message/sipfrag;version=2.0";

    /// <summary>
    /// The transfer target from the REFER's <c>Refer-To</c> values: exactly one SIP/SIPS URI with a user part
    /// (extension, queue name or number); a <c>tel:</c> URI gives its number. False for none, several, or no user.
    /// </summary>
    public static bool TryParseTarget(IReadOnlyList<string> referTo, out string target)
    {
        target = "";
        if (referTo.Count != 1)
        {
            return false;
        }
        var value = referTo[0].Trim();
        if (value.StartsWith("tel:", StringComparison.OrdinalIgnoreCase) || value.StartsWith("<tel:", StringComparison.OrdinalIgnoreCase))
        {
            var number = value.TrimStart('<')[4..];
            var end = number.IndexOfAny([';', '>', '?']);
            target = (end < 0 ? number : number[..end]).Trim();
            return target.Length > 0;
        }
        if (!NameAddress.TryParse(value, out var address) || address.IsWildcard || string.IsNullOrEmpty(address.Uri.User))
        {
            return false;
        }
        target = address.Uri.User;
        return true;
    }

    /// <summary>A sipfrag body: the status line of the referred request's outcome, e.g. <c>SIP/2.0 200 OK</c>.</summary>
    public static byte[] SipFrag(int statusCode) =>
        Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"SIP/2.0 {statusCode} {SipResponse.DefaultReason(statusCode)}\r\n"));

    /// <summary>Subscription-State of a NOTIFY: active while the outcome is provisional, terminated once final (§2.4.7).</summary>
    public static string SubscriptionState(int statusCode) =>
        statusCode < 200 ? "active;expires=60" : "terminated;reason=noresource";
}
