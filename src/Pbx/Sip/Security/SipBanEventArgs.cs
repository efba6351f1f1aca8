namespace Telephony.Pbx.Sip.Security;

/// <summary>Carries a ban and what happened to it, for <see cref="SipBanList.Banned"/> and <see cref="SipBanList.Unbanned"/>.</summary>
public sealed class SipBanEventArgs(SipBan ban, SipBanChange change) : EventArgs
{
    /// <summary>The ban (its state at the change).</summary>
    public SipBan Ban { get; } = ban;

    /// <summary>Banned, Expired or Lifted.</summary>
    public SipBanChange Change { get; } = change;
}
