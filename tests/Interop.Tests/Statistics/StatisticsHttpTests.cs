using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Telephony.Interop.Tests.Statistics;

/// <summary>
/// The statistics API over real HTTP on the real server (docs/metrics.md §8): CSV by <c>?format=csv</c> and by
/// <c>Accept: text/csv</c> (RFC 4180: header line, CRLF, the documented columns in order, a row per configured queue ×
/// interval plus the totals), the same figures as the JSON; every bad parameter is a 400 naming it; an unknown queue is
/// an empty report (200, no rows); an agent reads only its own agent figures and no queue figures (403 with a reason).
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class StatisticsHttpTests(StatisticsHttpTests.Server fixture, ITestOutputHelper output)
    : IClassFixture<StatisticsHttpTests.Server>
{
    private static readonly HttpClient Supervisor = AuthenticatedHttp.Create(TimeSpan.FromSeconds(20), "2001");
    private static readonly HttpClient Agent = AuthenticatedHttp.Create(TimeSpan.FromSeconds(20), "1001");

    /// <summary>One server (sample configuration, empty database) for the tests of this class.</summary>
    public sealed class Server : IAsyncLifetime
    {
        public ServerProcess Process { get; private set; } = null!;

        public async Task InitializeAsync() => Process = await ServerProcess.StartAsync(PortAllocator.For<StatisticsHttpTests>());

        public async Task DisposeAsync() => await Process.DisposeAsync();
    }

    private Uri Url(string path) => new(fixture.Process.HttpBase, path);

    [Fact]
    public async Task Queue_figures_as_csv_by_format_and_by_accept_match_the_json()
    {
        const string range = "api/stats/queues?from=2026-11-24&to=2026-11-25&interval=60m";
        string json = await Supervisor.GetStringAsync(Url(range));
        using JsonDocument doc = JsonDocument.Parse(json);
        int rows = doc.RootElement.GetProperty("rows").GetArrayLength();
        int totals = doc.RootElement.GetProperty("totals").GetArrayLength();
        Assert.Equal(24 * totals, rows); // a row per configured queue and hour, a total per queue
        Assert.True(totals >= 2, json);

        using HttpResponseMessage byFormat = await Supervisor.GetAsync(Url(range + "&format=csv"));
        using var request = new HttpRequestMessage(HttpMethod.Get, Url(range));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using HttpResponseMessage byAccept = await Supervisor.SendAsync(request);
        foreach (HttpResponseMessage response in new[] { byFormat, byAccept })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        }

        string csv = await byFormat.Content.ReadAsStringAsync();
        Assert.Equal(csv, await byAccept.Content.ReadAsStringAsync());
        Assert.EndsWith("\r\n", csv, StringComparison.Ordinal);
        string[] lines = csv.TrimEnd('\r', '\n').Split("\r\n");
        Assert.StartsWith(
            "scope,queue,intervalStart,intervalEnd,offered,answered,abandoned,shortAbandoned,overflowed,answeredWithinThreshold,serviceLevel,abandonRate,asaSeconds",
            lines[0], StringComparison.Ordinal);
        Assert.Equal(1 + rows + totals, lines.Length);
        string[] header = lines[0].Split(',');
        string[] first = lines[1].Split(',');
        Assert.Equal(header.Length, first.Length);
        JsonElement firstRow = doc.RootElement.GetProperty("rows")[0];
        Assert.Equal("interval", first[0]);
        Assert.Equal(firstRow.GetProperty("queue").GetString(), first[1]);
        Assert.Equal(firstRow.GetProperty("offered").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture), first[Array.IndexOf(header, "offered")]);
        Assert.Equal("", first[Array.IndexOf(header, "serviceLevel")]); // nothing offered: no ratio, an empty cell
        Assert.All(lines.Skip(1 + rows), l => Assert.StartsWith("total,", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Agent_and_realtime_figures_as_csv()
    {
        string agents = await Supervisor.GetStringAsync(Url("api/stats/agents?from=2026-11-24&interval=day&format=csv"));
        Assert.StartsWith("scope,agent,intervalStart,intervalEnd,handled,talkSeconds,wrapUpSeconds", agents, StringComparison.Ordinal);
        Assert.Contains("\r\ninterval,1001,", agents, StringComparison.Ordinal);
        string realtime = await Supervisor.GetStringAsync(Url("api/stats/realtime?format=csv"));
        Assert.StartsWith("queue,waiting,longestWaitSeconds,", realtime, StringComparison.Ordinal);
        Assert.Contains("\r\nsupport,0,", realtime, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api/stats/queues?interval=7m", "interval")]
    [InlineData("api/stats/queues?from=2026-11-25&to=2026-11-24", "to")]
    [InlineData("api/stats/queues?from=yesterday", "from")]
    [InlineData("api/stats/queues?to=2026-13-01", "to")]
    [InlineData("api/stats/queues?from=2020-01-01&to=2026-01-01&interval=15m", "")]
    [InlineData("api/stats/queues?format=xml", "format")]
    [InlineData("api/stats/agents?interval=2h", "interval")]
    [InlineData("api/staffing?callsPerInterval=100&intervalMinutes=30&ahtSeconds=180&targetServiceLevel=1.5&targetSeconds=20", "targetServiceLevel")]
    [InlineData("api/staffing?callsPerInterval=-1&intervalMinutes=30&ahtSeconds=180", "callsPerInterval")]
    public async Task A_bad_parameter_is_a_400_naming_it(string path, string parameter)
    {
        using HttpResponseMessage response = await Supervisor.GetAsync(Url(path));
        string body = await response.Content.ReadAsStringAsync();
        output.WriteLine($"{path} → {(int)response.StatusCode} {body}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        string error = JsonDocument.Parse(body).RootElement.GetProperty("error").GetString()!;
        Assert.Contains(parameter, error, StringComparison.Ordinal);
        using HttpResponseMessage health = await Supervisor.GetAsync(Url("health"));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task An_unknown_queue_is_an_empty_report()
    {
        using HttpResponseMessage response = await Supervisor.GetAsync(Url("api/stats/queues?queue=nosuch&interval=day"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(0, doc.RootElement.GetProperty("rows").GetArrayLength());
        Assert.Equal(0, doc.RootElement.GetProperty("totals").GetArrayLength());
    }

    [Fact]
    public async Task An_agent_reads_its_own_figures_only()
    {
        using (HttpResponseMessage own = await Agent.GetAsync(Url("api/stats/agents?interval=day&format=csv")))
        {
            Assert.Equal(HttpStatusCode.OK, own.StatusCode);
            string[] lines = (await own.Content.ReadAsStringAsync()).TrimEnd().Split("\r\n");
            Assert.All(lines.Skip(1), l => Assert.Contains(",1001,", l, StringComparison.Ordinal));
        }

        foreach (string path in new[] { "api/stats/agents?agent=1002", "api/stats/queues", "api/stats/realtime", "api/staffing?callsPerInterval=1&intervalMinutes=30&ahtSeconds=60" })
        {
            using HttpResponseMessage response = await Agent.GetAsync(Url(path));
            string body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{path}: {(int)response.StatusCode} {body}");
            Assert.True(JsonDocument.Parse(body).RootElement.TryGetProperty("error", out _), body);
        }
    }
}
