using System.Net;
using System.Text.Json;

namespace Telephony.Interop.Tests.Security;

/// <summary>
/// Login over real HTTP: the answer and the session cookie (HttpOnly, SameSite=Strict), the cookie working for reads
/// and, with the own Origin only, for changes (CSRF); bearer tokens for scripts; logout and admin revocation ending
/// sessions; a session surviving a restart; the security headers; no CORS.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class LoginSessionTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<LoginSessionTests>();

    [Fact]
    public async Task Login_cookie_csrf_headers_logout_revoke_and_restart()
    {
        string data = RepoPaths.NewTempDirectory("security-login");
        await SecuredServer.SeedAsync(data);
        string token, cookie;
        await using (ServerProcess server = await SecuredServer.StartAsync(ports, data, output))
        {
            // 200 {token, user, role, expiresAt} + the cookie.
            (int status, string body, HttpResponseMessage login) = await SecuredServer.SendAsync(server, HttpMethod.Post, "api/auth/login", null,
                """{"user":"2001","password":"pass2001"}""");
            using (login)
            {
                Assert.True(status == 200, body);
                using JsonDocument doc = JsonDocument.Parse(body);
                token = doc.RootElement.GetProperty("token").GetString()!;
                Assert.Equal("2001", doc.RootElement.GetProperty("user").GetString());
                Assert.Equal("supervisor", doc.RootElement.GetProperty("role").GetString());
                DateTimeOffset expires = doc.RootElement.GetProperty("expiresAt").GetDateTimeOffset();
                Assert.InRange(expires, DateTimeOffset.UtcNow.AddHours(11), DateTimeOffset.UtcNow.AddHours(13));
                string setCookie = login.Headers.GetValues("Set-Cookie").Single();
                Assert.StartsWith($"telephony_session={token};", setCookie, StringComparison.Ordinal);
                Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
                Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
                Assert.Contains("path=/", setCookie, StringComparison.OrdinalIgnoreCase);
                Assert.Equal("no-store", login.Headers.CacheControl?.ToString());
                cookie = $"telephony_session={token}";
            }

            // Security headers on every answer; no CORS, even for a foreign Origin or a preflight.
            (status, _, HttpResponseMessage health) = await SecuredServer.SendAsync(server, HttpMethod.Get, "health", null, null,
                r => r.Headers.Add("Origin", "https://evil.example"));
            using (health)
            {
                Assert.Equal(200, status);
                Assert.Equal(["default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"],
                    health.Headers.GetValues("Content-Security-Policy"));
                Assert.Equal(["nosniff"], health.Headers.GetValues("X-Content-Type-Options"));
                Assert.Equal(["DENY"], health.Headers.GetValues("X-Frame-Options"));
                Assert.False(health.Headers.Contains("Access-Control-Allow-Origin"));
            }

            (status, _, HttpResponseMessage preflight) = await SecuredServer.SendAsync(server, HttpMethod.Options, "api/calls", null, null, r =>
            {
                r.Headers.Add("Origin", "https://evil.example");
                r.Headers.Add("Access-Control-Request-Method", "GET");
            });
            using (preflight)
            {
                Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"), $"preflight {status}");
            }

            // The cookie authenticates reads.
            Assert.Equal(200, await Status(server, HttpMethod.Get, "api/queues", r => r.Headers.Add("Cookie", cookie)));
            // A change with the cookie needs our own Origin (or Referer): none, a foreign one → 403; ours → through.
            string own = server.HttpBase.GetLeftPart(UriPartial.Authority);
            Assert.Equal(403, await Status(server, HttpMethod.Post, "api/agents/1001/login", r => r.Headers.Add("Cookie", cookie)));
            Assert.Equal(403, await Status(server, HttpMethod.Post, "api/agents/1001/login", r =>
            {
                r.Headers.Add("Cookie", cookie);
                r.Headers.Add("Origin", "https://evil.example");
            }));
            Assert.True(Allowed(await Status(server, HttpMethod.Post, "api/agents/1001/login", r =>
            {
                r.Headers.Add("Cookie", cookie);
                r.Headers.Add("Origin", own);
            })));
            Assert.True(Allowed(await Status(server, HttpMethod.Post, "api/agents/1001/pause", r =>
            {
                r.Headers.Add("Cookie", cookie);
                r.Headers.Referrer = new Uri(server.HttpBase, "console/supervisor");
            })));
            // A bearer token is not sent by browsers on their own: no Origin needed.
            Assert.True(Allowed(await Status(server, HttpMethod.Post, "api/agents/1001/resume", token: token)));
            // Login from a foreign page is refused too (login CSRF); scripts without Origin log in.
            Assert.Equal(403, await Status(server, HttpMethod.Post, "api/auth/login", r => r.Headers.Add("Origin", "https://evil.example"),
                json: """{"user":"1001","password":"pass1001"}"""));

            // Logout ends the session: token and cookie.
            string agentToken = await SecuredServer.LoginAsync(server, "1001");
            Assert.Equal(200, await Status(server, HttpMethod.Post, "api/auth/logout", token: agentToken));
            Assert.Equal(401, await Status(server, HttpMethod.Get, "api/auth/me", token: agentToken));

            // An admin revokes every session of a user.
            string admin = await SecuredServer.LoginAsync(server, "admin");
            string a1 = await SecuredServer.LoginAsync(server, "1002"), a2 = await SecuredServer.LoginAsync(server, "1002");
            (status, string revoked, HttpResponseMessage r) = await SecuredServer.SendAsync(server, HttpMethod.Post, "api/auth/revoke", admin,
                """{"user":"1002"}""");
            r.Dispose();
            Assert.Equal((200, 2), (status, JsonDocument.Parse(revoked).RootElement.GetProperty("revoked").GetInt32()));
            Assert.Equal(401, await Status(server, HttpMethod.Get, "api/auth/me", token: a1));
            Assert.Equal(401, await Status(server, HttpMethod.Get, "api/auth/me", token: a2));
            await server.StopAsync();
        }

        // Sessions are kept server-side in SQLite: the token still works after a restart; the logged-out one does not.
        await using (ServerProcess restarted = await SecuredServer.StartAsync(ports, data, output))
        {
            Assert.Equal(200, await Status(restarted, HttpMethod.Get, "api/auth/me", token: token));
            Assert.Equal(200, await Status(restarted, HttpMethod.Get, "api/queues", r => r.Headers.Add("Cookie", cookie)));
        }
    }

    private static bool Allowed(int status) => status is not 401 and not 403 and < 500;

    private static async Task<int> Status(ServerProcess server, HttpMethod method, string path, Action<HttpRequestMessage>? configure = null,
        string? token = null, string? json = null)
    {
        (int status, _, HttpResponseMessage response) = await SecuredServer.SendAsync(server, method, path, token, json, configure);
        response.Dispose();
        return status;
    }
}
