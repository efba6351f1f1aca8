using System.Net.Http.Headers;
using System.Text.Json;

namespace Telephony.Interop.Tests.Security;

/// <summary>
/// <c>GET /api/events</c> needs a login and filters by role: replaying the seeded log (<c>?after=0</c>), agent 1001 gets
/// its own call's events only (from the ring on, no alert), the supervisor every event; the stream ends when the session
/// is logged out.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class EventStreamSecurityTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<EventStreamSecurityTests>();

    [Fact]
    public async Task Agent_sees_its_own_call_supervisor_everything_and_logout_ends_the_stream()
    {
        string data = RepoPaths.NewTempDirectory("security-events");
        await SecuredServer.SeedAsync(data);
        await using ServerProcess server = await SecuredServer.StartAsync(ports, data, output);
        string agent = await SecuredServer.LoginAsync(server, "1001");
        string supervisor = await SecuredServer.LoginAsync(server, "2001");

        List<(string Type, string? CallId)> mine = await ReadAsync(server, agent, TimeSpan.FromSeconds(3));
        Assert.Equal(
        [
            ("queue.agent_rung", SecuredServer.Call1001),
            ("call.ended", SecuredServer.Call1001),
        ], mine);

        List<(string Type, string? CallId)> all = await ReadAsync(server, supervisor, TimeSpan.FromSeconds(3));
        Assert.Equal(7, all.Count); // 3 per call + the alert
        Assert.Contains(("alert.created", "seed-missed@test"), all);
        Assert.Contains(all, e => e.CallId == SecuredServer.Call1002);

        // Logging out ends a running stream.
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.HttpBase, "api/events"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", agent);
        using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        (int status, _, HttpResponseMessage logout) = await SecuredServer.SendAsync(server, HttpMethod.Post, "api/auth/logout", agent);
        logout.Dispose();
        Assert.Equal(200, status);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await reader.ReadLineAsync(cts.Token) is not null)
        {
            // drain until the server closes the stream
        }
    }

    private static async Task<List<(string, string?)>> ReadAsync(ServerProcess server, string token, TimeSpan listen)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.HttpBase, "api/events?after=0"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var cts = new CancellationTokenSource(listen);
        var events = new List<(string, string?)>();
        try
        {
            using HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
            while (await reader.ReadLineAsync(cts.Token) is { } line)
            {
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    using JsonDocument doc = JsonDocument.Parse(line[6..]);
                    events.Add((doc.RootElement.GetProperty("type").GetString()!, doc.RootElement.GetProperty("callId").GetString()));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // listened long enough
        }

        return events;
    }
}
