using System.Diagnostics;
using System.Text.Json;

namespace Telephony.Interop.Tests.Security;

/// <summary>
/// Login guessing over real HTTP: an unknown user and a wrong password get the same 401 body after about the same time
/// (one key derivation each); the fifth failure from one address locks it: 429 with Retry-After, even for the right
/// password; all of it is in the audit trail.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class LoginThrottleTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<LoginThrottleTests>();

    [Fact]
    public async Task Unknown_user_and_wrong_password_look_alike_and_the_fifth_failure_locks()
    {
        string data = RepoPaths.NewTempDirectory("security-throttle");
        await using ServerProcess server = await SecuredServer.StartAsync(ports, data, output);
        string admin = await SecuredServer.LoginAsync(server, "admin"); // before the address is locked

        var unknown = new List<double>();
        var wrong = new List<double>();
        string? unknownBody = null, wrongBody = null;
        for (int i = 0; i < 2; i++)
        {
            (int s1, string b1, double t1) = await TimedLoginAsync(server, "nobody" + i, "pass2001");
            (int s2, string b2, double t2) = await TimedLoginAsync(server, "2001", "wrong" + i);
            Assert.Equal((401, 401), (s1, s2));
            (unknownBody, wrongBody) = (b1, b2);
            unknown.Add(t1);
            wrong.Add(t2);
        }

        Assert.Equal(wrongBody, unknownBody);
        output.WriteLine($"login times [ms]: unknown user {string.Join(", ", unknown)}; wrong password {string.Join(", ", wrong)}");
        Assert.True(unknown.Average() > wrong.Average() / 2, "an unknown user must cost the same key derivation as a wrong password");

        (int status, _, _) = await TimedLoginAsync(server, "2001", "wrong-again"); // failure 5 from 127.0.0.1
        Assert.Equal(401, status);
        (int Status, string Body, HttpResponseMessage Response) locked = await SecuredServer.SendAsync(server, HttpMethod.Post, "api/auth/login", null,
            """{"user":"2001","password":"pass2001"}""");
        using (locked.Response)
        {
            Assert.True(locked.Status == 429, locked.Body);
            Assert.Equal(TimeSpan.FromSeconds(30), locked.Response.Headers.RetryAfter?.Delta);
            Assert.Equal(30, JsonDocument.Parse(locked.Body).RootElement.GetProperty("retryAfterSeconds").GetInt32());
        }

        (int auditStatus, string audit, HttpResponseMessage r) = await SecuredServer.SendAsync(server, HttpMethod.Get, "api/audit?action=auth.", admin);
        r.Dispose();
        Assert.Equal(200, auditStatus);
        string[] actions = [.. JsonDocument.Parse(audit).RootElement.GetProperty("items").EnumerateArray()
            .Select(e => $"{e.GetProperty("action").GetString()}:{e.GetProperty("outcome").GetString()}:{e.GetProperty("actor").GetString()}")];
        Assert.Equal("auth.login_failed:denied:2001", actions[0]);
        Assert.Contains("auth.locked_out:denied:2001", actions);
        Assert.Equal(5, actions.Count(a => a.StartsWith("auth.login_failed:failed:", StringComparison.Ordinal)));
        Assert.Equal("auth.login:ok:admin", actions[^1]);
        Assert.All(JsonDocument.Parse(audit).RootElement.GetProperty("items").EnumerateArray(),
            e => Assert.Equal("127.0.0.1", e.GetProperty("source").GetString()));
    }

    private static async Task<(int Status, string Body, double Ms)> TimedLoginAsync(ServerProcess server, string user, string password)
    {
        var watch = Stopwatch.StartNew();
        (int status, string body, HttpResponseMessage response) = await SecuredServer.SendAsync(server, HttpMethod.Post, "api/auth/login", null,
            JsonSerializer.Serialize(new { user, password }));
        response.Dispose();
        return (status, body, watch.Elapsed.TotalMilliseconds);
    }
}
