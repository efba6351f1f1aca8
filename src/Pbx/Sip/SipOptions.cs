namespace Telephony.Pbx.Sip;

/// <summary>SIP listener, registrar and digest settings (section <c>sip</c> of <c>config/telephony.yaml</c>).</summary>
public sealed class SipOptions
{
    public string Address { get; set; } = "0.0.0.0";
    public int UdpPort { get; set; } = 5060;
    public int TcpPort { get; set; } = 5060;
    /// <summary>SIP over TLS (RFC 3261 §26.2.1, <c>sips:</c> and <c>;transport=tls</c>) with the server's certificate
    /// (the HTTPS one); 0 turns it off.</summary>
    public int TlsPort { get; set; } = 5061;
    /// <summary>IP written into Via, Contact and SDP; empty means "the local address that routes to the peer".</summary>
    public string? AdvertisedAddress { get; set; }
    public string Realm { get; set; } = "telephony";
    /// <summary>Challenge order (RFC 8760); the client picks the first algorithm it supports.</summary>
    public List<string> DigestAlgorithms { get; set; } = [];
    public int NonceLifetimeSeconds { get; set; } = 300;
    public int MinExpires { get; set; } = 60;
    public int MaxExpires { get; set; } = 3600;
    public int DefaultExpires { get; set; } = 600;
    public int RingTimeoutSeconds { get; set; } = 60;
    /// <summary>Most calls at once (0 = no limit): a new INVITE beyond it gets 503 with Retry-After (RFC 3261 §21.5.4),
    /// so a trunk can route elsewhere instead of the server taking calls its media loops cannot carry.</summary>
    public int MaxCalls { get; set; }
    public string UserAgent { get; set; } = "Telephony";

    /// <summary>100 Trying to an INVITE not answered within this many ms (RFC 3261 §17.2.1; 200). INVITEs from
    /// <c>cluster.proxy</c> get it at once whatever this says.</summary>
    public int TryingDelayMs { get; set; } = 200;

    /// <summary>Test hook, 0 = off: every new INVITE waits this many ms before the call layer routes it (an overloaded
    /// node slow to answer; the cluster interop tests use it).</summary>
    public int TestInviteHoldMs { get; set; }

    /// <summary>Source addresses or CIDR networks (<c>192.0.2.0/24</c>) whose failed digest attempts are never counted
    /// and which are never banned: trunks, the office LAN. Trunks' <c>allowFrom</c> addresses are trusted anyway.</summary>
    public List<string> TrustedNetworks { get; set; } = [];
    /// <summary>Failed digest attempts (wrong password or unknown user) from one source, or on one user, within
    /// <see cref="AuthFailureWindowSeconds"/> that ban the source (0 = never ban).</summary>
    public int AuthFailureLimit { get; set; } = 5;
    public int AuthFailureWindowSeconds { get; set; } = 60;
    /// <summary>First ban of a source; each further ban of it doubles, up to <see cref="BanMaxSeconds"/>.</summary>
    public int BanSeconds { get; set; } = 60;
    public int BanMaxSeconds { get; set; } = 3600;
    /// <summary>What a banned source gets for a new request: <c>drop</c> (no answer) or <c>403</c>.</summary>
    public string BanAction { get; set; } = "drop";
}
