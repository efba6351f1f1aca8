namespace Telephony.Pbx.Sip.Security;

/// <summary>Totals since start of the SIP brute-force protection (RFC 3261 §26.3.2.4), for <c>/health</c>.</summary>
/// <param name="AuthFailures">Failed digest attempts (wrong password or unknown user), trusted sources included.</param>
/// <param name="BansIssued">Bans begun.</param>
/// <param name="BansExpired">Bans that ran out.</param>
/// <param name="BansLifted">Bans lifted by an admin.</param>
/// <param name="ActiveBans">Bans in force now.</param>
/// <param name="RequestsForbidden">Requests from banned sources answered 403.</param>
/// <param name="RequestsDropped">Requests from banned sources dropped without an answer.</param>
public readonly record struct SipBanCounters(
    long AuthFailures,
    long BansIssued,
    long BansExpired,
    long BansLifted,
    int ActiveBans,
    long RequestsForbidden,
    long RequestsDropped);
