using Telephony.Recording.Alerts;
using Telephony.Recording.Storage;

namespace Telephony.Host.Recording;

/// <summary>Registers recording, call records, the event log and alerts with the host (one call from Program).</summary>
public static class RecordingHostExtensions
{
    /// <summary>
    /// Adds the storage services and the <see cref="RecordingHostedService"/>. Call before the PBX hosted service
    /// is added, so the database is migrated before calls arrive and recordings are closed after the last call.
    /// <paramref name="clusterNode"/> (a cluster node's id, null on a single server) marks what this node writes and
    /// scopes its start-up recovery and retention to its own rows (<see cref="Database.ForNode"/>). With PostgreSQL
    /// storage, <paramref name="pool"/> may give the node's pool to that database (the cluster's: one pool per node).
    /// </summary>
    public static IServiceCollection AddTelephonyRecording(this IServiceCollection services, RecordingSettings settings,
        string? clusterNode = null, Func<IServiceProvider, Npgsql.NpgsqlDataSource?>? pool = null)
    {
        services.AddSingleton(settings);
        services.AddSingleton(sp => settings.CreateDatabase(pool?.Invoke(sp)).ForNode(clusterNode));
        services.AddSingleton<StorageQueue>();
        services.AddSingleton<EventNotifier>();
        services.AddSingleton(sp => new OutboxDispatcher(sp.GetRequiredService<Database>(), settings.Endpoints(),
            new OutboxDispatcherOptions
            {
                Schedule = RetrySchedule.Default with
                {
                    InitialDelay = TimeSpan.FromSeconds(settings.RetryInitialSeconds),
                    MaxDelay = TimeSpan.FromSeconds(settings.RetryMaxSeconds),
                },
            }, logger: sp.GetRequiredService<ILoggerFactory>().CreateLogger<OutboxDispatcher>()));
        services.AddSingleton<CallRecorder>();
        services.AddHostedService<RecordingHostedService>();
        return services;
    }
}
