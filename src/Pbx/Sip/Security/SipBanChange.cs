namespace Telephony.Pbx.Sip.Security;

/// <summary>What happened to a ban (the audit trail: "ban" for <see cref="Banned"/>, "unban" for the others).</summary>
public enum SipBanChange
{
    /// <summary>A source was banned.</summary>
    Banned,

    /// <summary>The ban ran out.</summary>
    Expired,

    /// <summary>An admin lifted the ban.</summary>
    Lifted,
}
