namespace Telephony.Host.Security;

/// <summary><c>http.plain</c>: what the plain-HTTP port (<c>http.port</c>) does next to HTTPS.</summary>
public enum PlainHttpMode
{
    /// <summary>Serves everything (loopback and development; the sample configuration).</summary>
    On,

    /// <summary>Not listened on at all.</summary>
    Off,

    /// <summary>Answers every request but <c>/health</c> with 308 to the same path on HTTPS.</summary>
    Redirect,
}
