namespace Telephony.Pbx.Sip.Security;

/// <summary>Why a source was banned after failed digest attempts (RFC 3261 §22, §26.3.2.4 "denial of service").</summary>
public enum SipBanReason
{
    /// <summary>Too many failed attempts from this source address within the window.</summary>
    SourceFailures,

    /// <summary>
    /// This source failed on a user that had too many failed attempts (from any sources) within the window, and it is
    /// not an address the user has authenticated from before: a distributed guess at one user's password.
    /// </summary>
    UserFailures,
}
