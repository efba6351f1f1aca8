using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Calls.Tests.InProcess;
using Telephony.Host.Api;
using Telephony.Host.Ivr;
using Telephony.Host.Recording;
using Telephony.Host.Statistics;
using Telephony.Recording.Alerts;
using Telephony.Recording.Storage;

namespace Telephony.Calls.Tests.Statistics;

/// <summary>
/// The in-process PBX with the Host's call center whose queue scheduler reports agent states to the Host's real
/// <see cref="CallRecorder"/>, which writes call records, queue events and the agent history to a temp SQLite database;
/// and the statistics endpoints' own code (<see cref="StatisticsApi"/>) run against it on the fake clock.
/// Built with <see cref="InProcessPbx.StartAsync"/>'s <c>build</c> hook, so the shared harness files stay untouched.
/// </summary>
internal sealed class StatisticsPbx : IAsyncDisposable
{
    private readonly string _folder;
    private readonly CallCenter _center;
    private readonly StorageQueue _storage;

    private StatisticsPbx(InProcessPbx pbx, CallCenter center, CallRecorder recorder, StorageQueue storage, Database database,
        StatisticsService stats, string folder)
    {
        Pbx = pbx;
        _center = center;
        Recorder = recorder;
        _storage = storage;
        Database = database;
        Stats = stats;
        _folder = folder;
    }

    public InProcessPbx Pbx { get; }

    public CallRecorder Recorder { get; }

    public Database Database { get; }

    public StatisticsService Stats { get; }

    public CallCenter CallCenter => _center;

    public static async Task<StatisticsPbx> StartAsync()
    {
        var folder = Path.Combine(Path.GetTempPath(), "telephony-stats-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var database = new Database(Path.Combine(folder, "telephony.db"));
        await database.MigrateAsync();
        var storage = new StorageQueue(NullLogger<StorageQueue>.Instance);
        var recorder = new CallRecorder(database, new RecordingSettings { Enabled = false, Directory = folder }, storage, new EventNotifier(),
            new OutboxDispatcher(database, []), NullLogger<CallRecorder>.Instance);
        CallCenter? center = null;
        var pbx = await InProcessPbx.StartAsync(
            configure: o => o.Rtp.TimeoutSeconds = 7 * 24 * 3600, // whole hours pass without media ticks
            build: (options, time, prompts, locations, configDir) =>
            {
                center = new CallCenter(options, prompts, locations, configDir, time,
                    NullLoggerFactory.Instance, time, agentStates: recorder);
                return (center, center);
            },
            observer: recorder);
        var stats = new StatisticsService(database, new StatisticsSettings().WithZone("Europe/Berlin"), pbx.Time, center);
        return new StatisticsPbx(pbx, center!, recorder, storage, database, stats, folder);
    }

    /// <summary>Waits until the storage queue has written everything queued so far.</summary>
    public Task DrainAsync() => _storage.DrainAsync(TimeSpan.FromSeconds(10));

    /// <summary>Runs an endpoint's code on a query string; returns the status and the body as JSON (or text).</summary>
    public async Task<(int Status, JsonElement Json, string Text)> GetAsync(
        Func<HttpRequest, StatisticsService, CancellationToken, Task<IResult>> endpoint, string query)
    {
        await DrainAsync();
        var context = new DefaultHttpContext
        {
            RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider(),
        };
        context.Request.QueryString = new QueryString(query);
        var body = new MemoryStream();
        context.Response.Body = body;
        IResult result = await endpoint(context.Request, Stats, CancellationToken.None);
        await result.ExecuteAsync(context);
        var text = System.Text.Encoding.UTF8.GetString(body.ToArray());
        JsonElement json = context.Response.ContentType?.StartsWith("application/json", StringComparison.Ordinal) == true
            ? JsonDocument.Parse(text).RootElement.Clone()
            : default;
        return (context.Response.StatusCode, json, text);
    }

    public async ValueTask DisposeAsync()
    {
        await Pbx.DisposeAsync();
        await _center.DisposeAsync();
        await _storage.CompleteAsync(TimeSpan.FromSeconds(5));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
