using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Sip.Registrar;

/// <summary>
/// Compares the digest-uri of credentials with the Request-URI (RFC 3261 §22.4 via RFC 2617 §3.2.2.5: the server
/// checks that they name the same resource), using SIP URI equality (RFC 3261 §19.1.4): scheme, host and parameter
/// names and values case-insensitive, user and password case-sensitive, a port or a transport/user/method/ttl/maddr
/// parameter present on one side must be present and equal on the other, other parameters compared when on both
/// sides, headers all equal. Credentials from one request therefore cannot be replayed against another target.
/// </summary>
public static class DigestUri
{
    private static readonly string[] MustMatchParameters = ["transport", "user", "method", "ttl", "maddr"];

    /// <summary>True when <paramref name="digestUri"/> names <paramref name="requestUri"/>.</summary>
    public static bool Matches(string digestUri, SipUri requestUri)
    {
        ArgumentNullException.ThrowIfNull(digestUri);
        ArgumentNullException.ThrowIfNull(requestUri);
        var request = requestUri.ToString();
        if (string.Equals(digestUri, request, StringComparison.Ordinal))
        {
            return true;
        }
        if (!SipUri.TryParse(digestUri, out var d) || !requestUri.IsSip || !d.IsSip)
        {
            return false;
        }

        var r = requestUri;
        if (!string.Equals(d.Scheme, r.Scheme, StringComparison.OrdinalIgnoreCase)
            || !string.Equals(d.User, r.User, StringComparison.Ordinal)
            || !string.Equals(d.Password, r.Password, StringComparison.Ordinal)
            || !string.Equals(d.Host.Trim('[', ']'), r.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase)
            || d.Port != r.Port)
        {
            return false;
        }

        foreach (var name in MustMatchParameters)
        {
            var inD = d.Parameters.TryGetValue(name, out var dv);
            var inR = r.Parameters.TryGetValue(name, out var rv);
            if (inD != inR || (inD && !string.Equals(dv, rv, StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }
        }
        foreach (var (name, value) in d.Parameters)
        {
            if (r.Parameters.TryGetValue(name, out var other) && !string.Equals(value, other, StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return d.Headers.Count == r.Headers.Count && d.Headers.All(h =>
            r.Headers.TryGetValue(h.Key, out var v) && string.Equals(v, h.Value, StringComparison.OrdinalIgnoreCase));
    }
}
