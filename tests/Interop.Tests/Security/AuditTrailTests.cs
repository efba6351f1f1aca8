using System.Net.Http.Headers;
using System.Text.Json;

namespace Telephony.Interop.Tests.Security;

/// <summary>
/// The audit trail over real HTTP: logins, a recording download and a play (Range from byte 0; later ranges are not
/// counted), a refused download of another agent's recording, a supervision request, a configuration file changed on
/// disk; filters and paging of <c>GET /api/audit</c>; no method changes it.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class AuditTrailTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<AuditTrailTests>();

    [Fact]
    public async Task Security_actions_are_recorded_with_who_when_where_and_what_and_cannot_be_changed()
    {
        string data = RepoPaths.NewTempDirectory("security-audit");
        string config = RepoPaths.NewTempDirectory("security-audit-config");
        foreach (string file in Directory.GetFiles(RepoPaths.ConfigDirectory))
        {
            File.Copy(file, Path.Combine(config, Path.GetFileName(file)));
        }

        await SecuredServer.SeedAsync(data);
        await using ServerProcess server = await SecuredServer.StartAsync(ports, data, output,
            new Dictionary<string, string?> { ["TELEPHONY_PATHS__CONFIGDIRECTORY"] = config });
        string agent = await SecuredServer.LoginAsync(server, "1001");
        string supervisor = await SecuredServer.LoginAsync(server, "2001");
        string admin = await SecuredServer.LoginAsync(server, "admin");
        string r1001 = SecuredServer.Recording1001.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string r1002 = SecuredServer.Recording1002.ToString(System.Globalization.CultureInfo.InvariantCulture);

        Assert.Equal(200, await StatusAsync(server, $"api/recordings/{r1001}/audio", agent));                        // download
        Assert.Equal(206, await StatusAsync(server, $"api/recordings/{r1001}/audio", supervisor, new RangeHeaderValue(0, 99)));  // play
        Assert.Equal(206, await StatusAsync(server, $"api/recordings/{r1001}/audio", supervisor, new RangeHeaderValue(100, 199))); // seek
        Assert.Equal(403, await StatusAsync(server, $"api/recordings/{r1002}/audio", agent));                        // not 1001's
        (int status, _, HttpResponseMessage r) = await SecuredServer.SendAsync(server, HttpMethod.Post, "api/supervise", supervisor,
            """{"agent":"1001","mode":"listen"}""");
        r.Dispose();
        Assert.Equal(409, status); // 1001 is not in a call; the request is audited all the same
        File.AppendAllText(Path.Combine(config, "queues.yaml"), "\n# edited by the audit test\n");

        JsonElement[] items = [];
        for (int i = 0; i < 50 && !items.Any(e => Action(e) == "config.changed"); i++)
        {
            await Task.Delay(200);
            items = await AuditAsync(server, admin, "");
        }

        string[] summary = [.. items.Select(e => $"{Action(e)} {e.GetProperty("actor").GetString()} {e.GetProperty("target").GetString()} {e.GetProperty("outcome").GetString()}")];
        output.WriteLine(string.Join('\n', summary));
        Assert.Equal(
        [
            "config.changed system queues.yaml ok",
            "supervision.requested 2001 1001 failed",
            $"recording.download 1001 {r1002} denied",
            $"recording.play 2001 {r1001} ok",
            $"recording.download 1001 {r1001} ok",
            "auth.login admin  ok",
            "auth.login 2001  ok",
            "auth.login 1001  ok",
        ], summary);
        Assert.All(items.Where(e => Action(e) != "config.changed"), e => Assert.Equal("127.0.0.1", e.GetProperty("source").GetString()));
        Assert.All(items, e => Assert.True(e.GetProperty("at").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5)));

        // Filters and paging.
        Assert.Equal(["recording.download", "recording.play", "recording.download"],
            (await AuditAsync(server, admin, "?action=recording.")).Select(Action));
        Assert.Equal(["recording.download", "recording.download"], (await AuditAsync(server, admin, "?actor=1001&action=recording.download")).Select(Action));
        Assert.Equal(["recording.download"], (await AuditAsync(server, admin, "?outcome=denied")).Select(Action));
        Assert.Equal(["recording.download", "recording.play"], (await AuditAsync(server, admin, "?page=2&pageSize=2")).Select(Action));

        // Read-only: no method changes it, and only admins read it.
        foreach (HttpMethod method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete, HttpMethod.Patch })
        {
            (int s, _, HttpResponseMessage m) = await SecuredServer.SendAsync(server, method, "api/audit", admin, "{}");
            m.Dispose();
            Assert.Equal(405, s);
        }

        Assert.Equal(403, await StatusAsync(server, "api/audit", supervisor));
        Assert.Equal(items.Length + 0, (await AuditAsync(server, admin, "")).Length);
    }

    private static string Action(JsonElement e) => e.GetProperty("action").GetString()!;

    private static async Task<JsonElement[]> AuditAsync(ServerProcess server, string admin, string query)
    {
        (int status, string body, HttpResponseMessage r) = await SecuredServer.SendAsync(server, HttpMethod.Get, "api/audit" + query, admin);
        r.Dispose();
        Assert.True(status == 200, body);
        using JsonDocument doc = JsonDocument.Parse(body);
        return [.. doc.RootElement.GetProperty("items").EnumerateArray().Select(e => e.Clone())];
    }

    private static async Task<int> StatusAsync(ServerProcess server, string path, string token, RangeHeaderValue? range = null)
    {
        (int status, _, HttpResponseMessage r) = await SecuredServer.SendAsync(server, HttpMethod.Get, path, token, null, m => m.Headers.Range = range);
        r.Dispose();
        return status;
    }
}
