namespace Telephony.Pbx.Sip.Security;

/// <summary>
/// What a banned source gets for a new request (<c>sip.banAction</c>): silence, or 403 Forbidden
/// (RFC 3261 §21.4.4). Requests inside a dialog that is already up are never refused.
/// </summary>
public enum SipBanAction
{
    /// <summary>No answer at all (<c>drop</c>, the default): a scanner sees a dead address and gives up.</summary>
    Drop,

    /// <summary><c>403 Forbidden</c> (<c>403</c>): a banned phone shows why it cannot register.</summary>
    Forbidden,
}
