namespace Telephony.Host.Security;

/// <summary>Outcome of a console login attempt.</summary>
public enum LoginStatus
{
    Ok,
    Invalid,
    Throttled,
}
