namespace Telephony.Pbx.Sip.Messages;

/// <summary>
/// Canonical SIP header names and compact forms (RFC 3261 §7.3.3, §20).
/// </summary>
public static class HeaderName
{
    public const string Via = "Via";
    public const string From = "From";
    public const string To = "To";
    public const string CallId = "Call-ID";
    public const string CSeq = "CSeq";
    public const string Contact = "Contact";
    public const string MaxForwards = "Max-Forwards";
    public const string ContentLength = "Content-Length";
    public const string ContentType = "Content-Type";
    public const string Expires = "Expires";
    public const string MinExpires = "Min-Expires";
    public const string Route = "Route";
    public const string RecordRoute = "Record-Route";
    public const string Authorization = "Authorization";
    public const string WwwAuthenticate = "WWW-Authenticate";
    public const string ProxyAuthenticate = "Proxy-Authenticate";
    public const string ProxyAuthorization = "Proxy-Authorization";
    public const string UserAgent = "User-Agent";
    public const string Server = "Server";
    public const string Allow = "Allow";
    public const string Supported = "Supported";
    public const string Require = "Require";
    public const string Unsupported = "Unsupported";
    public const string Accept = "Accept";
    public const string Event = "Event";
    public const string ReferTo = "Refer-To";
    public const string ReferredBy = "Referred-By";
    public const string Reason = "Reason";
    public const string RetryAfter = "Retry-After";
    public const string Date = "Date";
    public const string Subject = "Subject";
    public const string Warning = "Warning";
    public const string AuthenticationInfo = "Authentication-Info";

    private static readonly string[] KnownNames =
    [
        Via, From, To, CallId, CSeq, Contact, MaxForwards, ContentLength, ContentType, Expires, MinExpires,
        Route, RecordRoute, Authorization, WwwAuthenticate, ProxyAuthenticate, ProxyAuthorization, UserAgent,
        Server, Allow, Supported, Require, Unsupported, Accept, Event, ReferTo, ReferredBy, Reason, RetryAfter,
        Date, Subject, Warning, AuthenticationInfo,
        "Accept-Encoding", "Accept-Language", "Alert-Info", "Allow-Events", "Call-Info", "Content-Disposition",
        "Content-Encoding", "Content-Language", "Error-Info", "In-Reply-To", "MIME-Version", "Organization",
        "Priority", "Proxy-Require", "Reply-To", "Timestamp", "RAck", "RSeq", "Path", "Service-Route",
        "Session-Expires", "Min-SE", "Subscription-State", "Replaces", "P-Asserted-Identity",
        "P-Preferred-Identity", "Privacy", "Identity",
    ];

    private static readonly Dictionary<string, string> Known = BuildKnown();

    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> KnownBySpan =
        Known.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>
    /// Maps compact forms (v f t i m l c k s e o r b u x y a j d) to long names, known names in any case to
    /// their canonical spelling; unknown names are returned as given.
    /// </summary>
    public static string Canonicalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Known.TryGetValue(name, out var canonical) ? canonical : name;
    }

    /// <summary>Span overload used by the parser: no allocation for known names.</summary>
    internal static string Canonicalize(ReadOnlySpan<char> name) =>
        KnownBySpan.TryGetValue(name, out var canonical) ? canonical : name.ToString();

    private static Dictionary<string, string> BuildKnown()
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in KnownNames)
        {
            map[name] = name;
        }

        // RFC 3261 §7.3.3 and the IANA registry of compact forms.
        map["v"] = Via;
        map["f"] = From;
        map["t"] = To;
        map["i"] = CallId;
        map["m"] = Contact;
        map["l"] = ContentLength;
        map["c"] = ContentType;
        map["k"] = Supported;
        map["s"] = Subject;
        map["e"] = "Content-Encoding";
        map["o"] = Event;
        map["r"] = ReferTo;
        map["b"] = ReferredBy;
        map["u"] = "Allow-Events";
        map["x"] = "Session-Expires";
        map["a"] = "Accept-Contact";
        map["j"] = "Reject-Contact";
        map["d"] = "Request-Disposition";
        map["y"] = "Identity";
        return map;
    }
}
