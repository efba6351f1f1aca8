namespace Telephony.Host.Api;

/// <summary>
/// Plain SIP-over-WebSocket pages that are not our UI (<c>src/Web/src/interop</c>: JsSIP and SIP.js as they come from
/// npm, RFC 7118), to prove interoperability with them: <c>/interop/jssip.html</c> and <c>/interop/sipjs.html</c>
/// (<c>?user=1001&amp;password=pass1001</c>; they register over <c>/sip</c> and answer every call). Mapped only when
/// <c>http.interopPages</c> is on (off by default: they take a SIP password in the query string, a test tool only).
/// </summary>
public static class InteropPages
{
    /// <summary>The configuration key that turns the pages on (<c>on</c>/<c>true</c>).</summary>
    public const string ConfigKey = "http:interopPages";

    private static readonly string[] Files = ["jssip.html", "jssip.js", "sipjs.html", "sipjs.js"];

    /// <summary>Maps <c>/interop/{file}</c> from <c>wwwroot/interop</c> when <see cref="ConfigKey"/> is on.</summary>
    public static WebApplication MapInteropPages(this WebApplication app, string? root = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        string? flag = app.Configuration[ConfigKey];
        if (!string.Equals(flag, "on", StringComparison.OrdinalIgnoreCase) && !string.Equals(flag, "true", StringComparison.OrdinalIgnoreCase))
        {
            return app;
        }
        string directory = Path.GetFullPath(Path.Combine(root ?? Path.Combine(AppContext.BaseDirectory, "wwwroot"), "interop"));
        app.MapGet("/interop/{file}", (string file) =>
        {
            string full = Path.Combine(directory, file);
            if (!Files.Contains(file, StringComparer.Ordinal) || !File.Exists(full))
            {
                return Results.NotFound();
            }
            return Results.File(full, file.EndsWith(".js", StringComparison.Ordinal) ? "text/javascript" : "text/html; charset=utf-8");
        }).AllowAnonymous().ExcludeFromDescription();
        app.Logger.LogWarning("Interop pages on: /interop/jssip.html and /interop/sipjs.html (http.interopPages; a test tool)");
        return app;
    }
}
