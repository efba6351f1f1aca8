using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace Telephony.Host.Api;

/// <summary>
/// Serves the web console built from <c>src/Web</c> (copied to <c>wwwroot/</c> beside the Host's dll by the build):
/// <c>/assets/*</c> (content-hashed bundles, cached for a year) and <c>index.html</c> for every page route
/// (<c>/</c>, <c>/agent</c>, <c>/wallboard</c>, <c>/supervisor</c>, <c>/voicemail</c>, <c>/admin/...</c>, <c>/calls/...</c>; never cached), and
/// <c>/api-reference</c> redirecting to Scalar's page <c>/scalar/v1</c>.
/// These are the only endpoints a browser reaches without a session: the page signs in with <c>POST /api/auth/login</c>
/// and then uses the session cookie. Served as endpoints after the security middleware, so every file carries the
/// same headers (<c>Content-Security-Policy: default-src 'self'</c>...) as the API.
/// </summary>
public static class WebConsole
{
    /// <summary>Page routes answered with <c>index.html</c> (the page's router picks the view).</summary>
    public static readonly IReadOnlyList<string> PageRoutes =
        ["/", "/agent", "/wallboard", "/supervisor", "/voicemail", "/admin", "/admin/{**rest}", "/calls", "/calls/{**rest}"];

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    /// <summary>Maps the console under <paramref name="root"/> (default: <c>wwwroot</c> beside the executable).</summary>
    public static WebApplication MapWebConsole(this WebApplication app, string? root = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        string directory = Path.GetFullPath(root ?? Path.Combine(AppContext.BaseDirectory, "wwwroot"));
        string assets = Path.Combine(directory, "assets") + Path.DirectorySeparatorChar;

        app.MapGet("/assets/{**path}", (string path, HttpContext context) =>
        {
            string full = Path.GetFullPath(Path.Combine(assets, path));
            if (!full.StartsWith(assets, StringComparison.Ordinal) || !File.Exists(full))
            {
                return Results.NotFound();
            }
            // Bundles carry a content hash in their names: a new build means new names, so they can be kept forever.
            context.Response.Headers.CacheControl = Path.GetFileName(full).Contains('-', StringComparison.Ordinal)
                ? "public, max-age=31536000, immutable"
                : "no-cache";
            return Results.File(full, ContentTypes.TryGetContentType(full, out string? type) ? type : "application/octet-stream",
                lastModified: File.GetLastWriteTimeUtc(full), enableRangeProcessing: false);
        }).AllowAnonymous().ExcludeFromDescription();

        foreach (string route in PageRoutes)
        {
            app.MapGet(route, (HttpContext context) => Page(directory, "index.html", context)).AllowAnonymous().ExcludeFromDescription();
        }
        // The interactive API reference is Scalar's own page (ApiDocs: admin only, with its per-response nonce).
        app.MapGet("/api-reference", () => Results.Redirect("/scalar/v1")).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static IResult Page(string directory, string file, HttpContext context)
    {
        string index = Path.Combine(directory, file);
        if (!File.Exists(index))
        {
            return Results.Text($"The web console is not built ({index} is missing): build src/Host, which runs npm in src/Web.",
                "text/plain", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        context.Response.Headers.CacheControl = "no-cache";
        return Results.File(index, "text/html; charset=utf-8", lastModified: File.GetLastWriteTimeUtc(index),
            entityTag: new EntityTagHeaderValue("\"" + File.GetLastWriteTimeUtc(index).Ticks.ToString("x", System.Globalization.CultureInfo.InvariantCulture) + "\""));
    }
}
