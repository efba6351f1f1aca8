namespace Telephony.Pbx.Sip.Registrar;

/// <summary>
/// The SIP users the registrar and digest authentication (RFC 3261 §22) know: who exists, and the secret their
/// credentials are checked against. Implemented by the call layer's directory of configured extensions.
/// </summary>
public interface ISipAccounts
{
    /// <summary>True when <paramref name="user"/> is a configured user (an address-of-record we accept bindings for).</summary>
    bool Exists(string user);

    /// <summary>The digest secret of <paramref name="user"/> (its password or its HA1), or null when there is no such user.</summary>
    SipSecret? SecretOf(string user);
}
