using Telephony.Host.Security;

namespace Telephony.Host.Api;

/// <summary>
/// <c>GET /api/config</c> (admin): the effective configuration (YAML files, then <c>TELEPHONY_*</c> environment, then the
/// command line) as flat <c>section:key</c> pairs, with every password, hash, HA1 and secret replaced by <c>***</c>.
/// </summary>
public static class ConfigApi
{
    private static readonly string[] SecretWords = ["password", "secret", "ha1", "token"];

    public static void MapConfigApi(this WebApplication app, IConfiguration telephonyConfiguration) =>
        app.MapGet("/api/config", () => Results.Json(Redacted(telephonyConfiguration)))
            .RequireAuthorization(ConsoleRoles.AdminPolicy);

    /// <summary>Every key with a value, sorted, secrets redacted.</summary>
    public static SortedDictionary<string, string?> Redacted(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var result = new SortedDictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach ((string key, string? value) in configuration.AsEnumerable())
        {
            if (value is null)
            {
                continue;
            }

            string last = key[(key.LastIndexOf(':') + 1)..];
            result[key] = SecretWords.Any(w => last.Contains(w, StringComparison.OrdinalIgnoreCase)) && value.Length > 0 ? "***" : value;
        }

        return result;
    }
}
