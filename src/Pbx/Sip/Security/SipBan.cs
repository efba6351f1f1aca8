using System.Net;

namespace Telephony.Pbx.Sip.Security;

/// <summary>
/// One ban of a source address after failed digest attempts (RFC 3261 §22.4, §26.3.2.4): a snapshot, as shown by
/// <c>/health</c> and the admin API.
/// </summary>
/// <param name="Address">The banned source address (IPv4-mapped IPv6 addresses are shown as IPv4).</param>
/// <param name="Reason">Which threshold was crossed.</param>
/// <param name="User">The user name of the last failed attempt (as sent: it may not exist).</param>
/// <param name="Failures">Failed attempts counted within the window when the ban began.</param>
/// <param name="Strike">1 for the first ban of this address, 2 for the next (twice as long), and so on.</param>
/// <param name="BannedAt">When the ban began.</param>
/// <param name="ExpiresAt">When it ends by itself.</param>
/// <param name="RequestsRefused">Requests refused (answered 403 or dropped) since the ban began.</param>
public sealed record SipBan(
    IPAddress Address,
    SipBanReason Reason,
    string? User,
    int Failures,
    int Strike,
    DateTimeOffset BannedAt,
    DateTimeOffset ExpiresAt,
    long RequestsRefused)
{
    /// <summary>How long the ban lasts in all.</summary>
    public TimeSpan Duration => ExpiresAt - BannedAt;
}
