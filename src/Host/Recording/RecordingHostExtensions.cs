using Telephony.Recording.Alerts;
using Telephony.Recording.Storage;

namespace Telephony.Host.Recording;

/// <summary>Registers recording, call records, the event log and alerts with the host (one call from Program).</summary>
public static class RecordingHostExtensions
{
    /// <summary>
    /// Adds the storage services and the <see cref="RecordingHostedService"/>. Call before the PBX hosted service
    /// is added, so the database is migrated before calls arrive and recordings are closed after the last call.
    /// </summary>
    public static IServiceCollection AddTelephonyRecording(this IServiceCollection services, RecordingSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(_ => settings.CreateDatabase());
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
