using System.Globalization;
using System.Net;

namespace Telephony.Pbx.Calls.Configuration;

/// <summary>
/// The outbound side of a trunk (<c>trunks[n].outbound</c> in telephony.yaml): the INVITE goes to
/// <see cref="Host"/>:<see cref="Port"/> over <see cref="Transport"/> with Request-URI <c>sip:&lt;number&gt;@host</c>
/// (RFC 3261 §8.1.1), From carrying the caller id (<see cref="CallerId"/>), and answers 401/407 challenges with
/// <see cref="Username"/>/<see cref="Password"/> (RFC 3261 §22.2, RFC 7616). Number rules: drop
/// <see cref="StripDigits"/> leading characters, then put <see cref="Prefix"/> in front.
/// </summary>
public sealed class TrunkOutboundOptions
{
    /// <summary>The carrier's SIP server: an IP address or a host name (A/AAAA lookup per call; no SRV/NAPTR).</summary>
    public string Host { get; set; } = "";

    /// <summary>Its SIP port.</summary>
    public int Port { get; set; } = 5060;

    /// <summary><c>udp</c> or <c>tcp</c>.</summary>
    public string Transport { get; set; } = "udp";

    /// <summary>Digest user name; empty = no credentials (a challenge fails the call).</summary>
    public string Username { get; set; } = "";

    /// <summary>Digest password.</summary>
    public string Password { get; set; } = "";

    /// <summary>
    /// Caller id in From: empty (the default) passes the original caller's number (the trunk caller's From user, or
    /// the calling extension); a number here is sent on every call instead (e.g. the company's main number).
    /// </summary>
    public string CallerId { get; set; } = "";

    /// <summary>Host part of From; empty = our address as the trunk sees it.</summary>
    public string FromDomain { get; set; } = "";

    /// <summary>Leading characters removed from the dialed number (e.g. 1 to drop an outside-line 0).</summary>
    public int StripDigits { get; set; }

    /// <summary>Put in front of the number after stripping (e.g. <c>+49</c>).</summary>
    public string Prefix { get; set; } = "";

    /// <summary>True for <c>transport: tcp</c>.</summary>
    public bool IsTcp => string.Equals(Transport, "tcp", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when digest credentials are configured.</summary>
    public bool HasCredentials => Username.Length > 0;

    /// <summary>The number as sent to the carrier: <see cref="StripDigits"/> removed, then <see cref="Prefix"/> added.</summary>
    public string DialString(string number)
    {
        ArgumentNullException.ThrowIfNull(number);
        var rest = StripDigits >= number.Length ? "" : number[Math.Max(StripDigits, 0)..];
        return Prefix + rest;
    }

    /// <summary>Problems with these values, each naming its key under <paramref name="key"/> (e.g. <c>trunks[0].outbound</c>).</summary>
    public IEnumerable<string> Validate(string key)
    {
        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return $"{key}.host is empty: set the carrier's IP address or host name";
        }
        else if (Uri.CheckHostName(Host) == UriHostNameType.Unknown && !IPAddress.TryParse(Host, out _))
        {
            yield return $"{key}.host '{Host}' is not an IP address or host name";
        }
        if (Port is < 1 or > 65535)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{key}.port {Port} is not a port number (1-65535)");
        }
        if (!string.Equals(Transport, "udp", StringComparison.OrdinalIgnoreCase) && !IsTcp)
        {
            yield return $"{key}.transport '{Transport}' must be udp or tcp";
        }
        if (Username.Length == 0 && Password.Length > 0)
        {
            yield return $"{key}.password is set but {key}.username is empty";
        }
        if (StripDigits < 0)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"{key}.stripDigits {StripDigits} must be 0 or more");
        }
        if (!IsDialable(Prefix))
        {
            yield return $"{key}.prefix '{Prefix}' may hold only digits, '+', '*' and '#'";
        }
        if (CallerId.Length > 0 && !IsDialable(CallerId))
        {
            yield return $"{key}.callerId '{CallerId}' may hold only digits, '+', '*' and '#' (empty = pass the caller's number)";
        }
        if (FromDomain.Length > 0 && Uri.CheckHostName(FromDomain) == UriHostNameType.Unknown)
        {
            yield return $"{key}.fromDomain '{FromDomain}' is not a host name or IP address";
        }
    }

    /// <summary>True for a telephone-number-like user part (RFC 3966 digits plus the keypad's * and #).</summary>
    public static bool IsDialable(string text) => text.All(c => char.IsAsciiDigit(c) || c is '+' or '*' or '#');
}
