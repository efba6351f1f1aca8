using System.Globalization;
using System.Net;

namespace Telephony.Pbx.Sip.Security;

/// <summary>
/// The brute-force protection settings, checked and parsed from <see cref="SipOptions"/> (RFC 3261 §26.3.2.4:
/// a registrar that challenges must limit guessing): failure threshold and window, back-off, what a banned source
/// gets, and the trusted networks that are never counted nor banned.
/// </summary>
public sealed class SipSecuritySettings
{
    /// <summary>Failed attempts within <see cref="FailureWindow"/> that ban a source (0 = never ban).</summary>
    public int FailureLimit { get; init; } = 5;

    /// <summary>The sliding window failures are counted in.</summary>
    public TimeSpan FailureWindow { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The first ban's length; each further ban of the same address doubles it.</summary>
    public TimeSpan BanDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest ban. A source unbanned for this long without a new ban starts over at <see cref="BanDuration"/>.</summary>
    public TimeSpan MaxBanDuration { get; init; } = TimeSpan.FromHours(1);

    /// <summary>What banned sources get.</summary>
    public SipBanAction Action { get; init; } = SipBanAction.Drop;

    /// <summary>Sources never counted nor banned (trunks, the office LAN).</summary>
    public IReadOnlyList<IPNetwork> TrustedNetworks { get; init; } = [];

    /// <summary>True when <paramref name="address"/> is in a trusted network.</summary>
    public bool IsTrusted(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var a = Normalize(address);
        foreach (var network in TrustedNetworks)
        {
            if (network.Contains(a))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// The settings in <paramref name="options"/>, plus <paramref name="alsoTrusted"/> (the trunks' source addresses)
    /// as single-address trusted networks. Throws <see cref="InvalidOperationException"/> naming the key when a value
    /// is invalid (see <see cref="Validate"/>).
    /// </summary>
    public static SipSecuritySettings From(SipOptions options, IEnumerable<IPAddress>? alsoTrusted = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = Validate(options);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", problems));
        }

        var trusted = options.TrustedNetworks.Select(t => ParseNetwork(t)!.Value).ToList();
        foreach (var address in alsoTrusted ?? [])
        {
            var a = Normalize(address);
            trusted.Add(new IPNetwork(a, a.GetAddressBytes().Length * 8));
        }

        return new SipSecuritySettings
        {
            FailureLimit = options.AuthFailureLimit,
            FailureWindow = TimeSpan.FromSeconds(options.AuthFailureWindowSeconds),
            BanDuration = TimeSpan.FromSeconds(options.BanSeconds),
            MaxBanDuration = TimeSpan.FromSeconds(Math.Max(options.BanSeconds, options.BanMaxSeconds)),
            Action = ParseAction(options.BanAction)!.Value,
            TrustedNetworks = trusted,
        };
    }

    /// <summary>Problems with the security keys of <paramref name="options"/>, each naming its key; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(SipOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.AuthFailureLimit < 0)
        {
            problems.Add($"sip.authFailureLimit {options.AuthFailureLimit} must be 0 (never ban) or more");
        }
        if (options.AuthFailureWindowSeconds < 1)
        {
            problems.Add($"sip.authFailureWindowSeconds {options.AuthFailureWindowSeconds} must be 1 or more");
        }
        if (options.BanSeconds < 1)
        {
            problems.Add($"sip.banSeconds {options.BanSeconds} must be 1 or more");
        }
        if (options.BanMaxSeconds < options.BanSeconds)
        {
            problems.Add($"sip.banMaxSeconds {options.BanMaxSeconds} must be at least sip.banSeconds ({options.BanSeconds})");
        }
        if (ParseAction(options.BanAction) is null)
        {
            problems.Add($"sip.banAction '{options.BanAction}' must be drop or 403");
        }
        for (var i = 0; i < options.TrustedNetworks.Count; i++)
        {
            if (ParseNetwork(options.TrustedNetworks[i]) is null)
            {
                var key = string.Create(CultureInfo.InvariantCulture, $"sip.trustedNetworks[{i}]");
                problems.Add($"{key} '{options.TrustedNetworks[i]}' is not an address or a CIDR network " +
                    "(e.g. 192.0.2.10 or 192.0.2.0/24, no host bits after the prefix)");
            }
        }
        return problems;
    }

    /// <summary>IPv4-mapped IPv6 addresses (dual-mode sockets) as IPv4, so one source has one key.</summary>
    public static IPAddress Normalize(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    private static SipBanAction? ParseAction(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "DROP" => SipBanAction.Drop,
        "403" or "FORBIDDEN" => SipBanAction.Forbidden,
        _ => null,
    };

    private static IPNetwork? ParseNetwork(string? text)
    {
        var t = text?.Trim();
        if (string.IsNullOrEmpty(t))
        {
            return null;
        }
        if (!t.Contains('/', StringComparison.Ordinal) && IPAddress.TryParse(t, out var single))
        {
            var a = Normalize(single);
            return new IPNetwork(a, a.GetAddressBytes().Length * 8);
        }
        var slash = t.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(t.AsSpan(0, slash), out var baseAddress)
            || !int.TryParse(t.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
        {
            return null;
        }
        var b = Normalize(baseAddress);
        var bytes = b.GetAddressBytes();
        if (prefix > bytes.Length * 8)
        {
            return null;
        }
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
            {
                return null; // host bits set: almost always a typo (10.0.0.1/8 for 10.0.0.0/8)
            }
        }
        return new IPNetwork(b, prefix);
    }
}
