using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>
/// HttpClients for the server's API, which needs a login: every <c>/api/</c> request gets
/// <c>Authorization: Bearer &lt;token&gt;</c> from <c>POST /api/auth/login</c> as <paramref name="user"/> (sample
/// configuration: password <c>pass&lt;user&gt;</c>), one login per server address, logged in again when a server answers
/// 401 (a new server on the same port). <c>admin</c> may do everything but supervise (which rings the supervisor's own
/// phone), so supervision tests log in as <c>2001</c>.
/// </summary>
public static class AuthenticatedHttp
{
    /// <summary>A client logging in as <paramref name="user"/> with the sample password <c>pass&lt;user&gt;</c>.</summary>
    public static HttpClient Create(TimeSpan timeout, string user = "admin") =>
        new(new LoginHandler(user, "pass" + user) { InnerHandler = new HttpClientHandler() }) { Timeout = timeout };

    /// <summary>Logs in as <paramref name="user"/> at <paramref name="baseAddress"/>; returns the status and the token.</summary>
    public static async Task<(HttpStatusCode Status, string? Token, string Body)> LoginAsync(HttpMessageInvoker http, Uri baseAddress,
        string user, string password, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, "/api/auth/login"))
        {
            Content = JsonContent.Create(new { user, password }),
        };
        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        string? token = null;
        if (response.IsSuccessStatusCode)
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            token = doc.RootElement.GetProperty("token").GetString();
        }

        return (response.StatusCode, token, body);
    }

    private sealed class LoginHandler(string user, string password) : DelegatingHandler
    {
        private readonly ConcurrentDictionary<string, string> tokens = new(StringComparer.Ordinal);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Uri uri = request.RequestUri!;
            if (!uri.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal) || uri.AbsolutePath == "/api/auth/login"
                || request.Headers.Authorization is not null)
            {
                return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            }

            string authority = uri.GetLeftPart(UriPartial.Authority);
            for (int attempt = 0; ; attempt++)
            {
                if (!tokens.TryGetValue(authority, out string? token))
                {
                    token = await LoginAsync(new Uri(authority), cancellationToken).ConfigureAwait(false);
                    tokens[authority] = token;
                }

                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.Unauthorized || attempt > 0)
                {
                    return response;
                }

                response.Dispose();
                tokens.TryRemove(authority, out _);
            }
        }

        private async Task<string> LoginAsync(Uri baseAddress, CancellationToken cancellationToken)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, "/api/auth/login"))
            {
                Content = JsonContent.Create(new { user, password }),
            };
            using HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"login as {user} at {baseAddress}: {(int)response.StatusCode} {body}");
            }

            using JsonDocument doc = JsonDocument.Parse(body);
            return doc.RootElement.GetProperty("token").GetString()!;
        }
    }
}
