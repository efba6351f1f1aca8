using System.Globalization;
using System.Net;
using Microsoft.Extensions.Configuration;

namespace Telephony.Host.Security;

/// <summary>
/// HTTP security settings: sections <c>http</c> (<c>httpsPort</c>, <c>plain</c>, <c>allowedOrigins</c>,
/// <c>trustedProxies</c>), <c>tls</c> (<c>certificateFile</c>, <c>keyFile</c>) and <c>auth</c> (session lifetime and login
/// throttling). Defaults are the documented ones (docs/security.md).
/// </summary>
public sealed class SecuritySettings
{
    /// <summary>HTTPS port; 0 turns HTTPS off.</summary>
    public int HttpsPort { get; init; } = 8443;

    /// <summary>What the plain-HTTP port does.</summary>
    public PlainHttpMode Plain { get; init; } = PlainHttpMode.On;

    /// <summary>PEM certificate (chain) file; empty = a self-signed certificate under <c>data/tls/</c>.</summary>
    public string? CertificateFile { get; init; }

    /// <summary>PEM private key file for <see cref="CertificateFile"/> (empty when the certificate file holds the key).</summary>
    public string? KeyFile { get; init; }

    /// <summary>Origins besides the server's own accepted on cookie-authenticated changes (CSRF check).</summary>
    public IReadOnlyList<string> AllowedOrigins { get; init; } = [];

    /// <summary>Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed.</summary>
    public IReadOnlyList<IPAddress> TrustedProxies { get; init; } = [];

    /// <summary>Lifetime of a console session (token and cookie).</summary>
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromHours(12);

    public LoginThrottleOptions Throttle { get; init; } = new();

    /// <summary>Reads the settings; relative file names are relative to <paramref name="baseDirectory"/> (the folder that
    /// holds config/). Throws <see cref="FormatException"/> naming the key on a bad value.</summary>
    public static SecuritySettings Load(IConfiguration configuration, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        PlainHttpMode plain = (configuration["http:plain"] ?? "on").Trim().ToLowerInvariant() switch
        {
            "on" or "true" => PlainHttpMode.On,
            "off" or "false" => PlainHttpMode.Off,
            "redirect" => PlainHttpMode.Redirect,
            var other => throw new FormatException($"http.plain '{other}' must be on, off or redirect"),
        };
        int httpsPort = Int(configuration, "http:httpsPort", 8443, 0, 65535);
        if (httpsPort == 0 && plain != PlainHttpMode.On)
        {
            throw new FormatException($"http.plain '{plain.ToString().ToLowerInvariant()}' needs HTTPS (http.httpsPort is 0)");
        }

        var proxies = new List<IPAddress>();
        foreach (IConfigurationSection p in configuration.GetSection("http:trustedProxies").GetChildren())
        {
            proxies.Add(IPAddress.TryParse(p.Value, out IPAddress? address)
                ? address
                : throw new FormatException($"http.trustedProxies '{p.Value}' is not an IP address"));
        }

        return new SecuritySettings
        {
            HttpsPort = httpsPort,
            Plain = plain,
            CertificateFile = File(configuration["tls:certificateFile"], baseDirectory),
            KeyFile = File(configuration["tls:keyFile"], baseDirectory),
            AllowedOrigins = [.. configuration.GetSection("http:allowedOrigins").GetChildren()
                .Select(o => (o.Value ?? "").TrimEnd('/')).Where(o => o.Length > 0)],
            TrustedProxies = proxies,
            SessionLifetime = TimeSpan.FromMinutes(Int(configuration, "auth:sessionMinutes", 720, 1, 60 * 24 * 90)),
            Throttle = new LoginThrottleOptions
            {
                MaxFailures = Int(configuration, "auth:maxFailures", 5, 1, 1000),
                Window = TimeSpan.FromMinutes(Int(configuration, "auth:failureWindowMinutes", 15, 1, 24 * 60)),
                FirstLockout = TimeSpan.FromSeconds(Int(configuration, "auth:lockoutSeconds", 30, 1, 86_400)),
                MaxLockout = TimeSpan.FromSeconds(Int(configuration, "auth:maxLockoutSeconds", 900, 1, 86_400)),
            },
        };
    }

    private static string? File(string? value, string baseDirectory) =>
        string.IsNullOrWhiteSpace(value) ? null : Path.GetFullPath(value, baseDirectory);

    private static int Int(IConfiguration configuration, string key, int fallback, int min, int max)
    {
        string? text = configuration[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max
            ? value
            : throw new FormatException($"{key.Replace(':', '.')} '{text}' must be a whole number from {min} to {max}");
    }
}
