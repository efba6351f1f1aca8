using Telephony.Host.Dispositions;

namespace Telephony.Host.Voicemail;

/// <summary>Registers voicemail, post-call surveys and dispositions with the host (one call from Program).</summary>
public static class PromisesHostExtensions
{
    /// <summary>Adds the <see cref="VoicemailRecorder"/> and the <see cref="DispositionService"/> (surveys are recorded by the
    /// <c>CallRecorder</c>); needs <c>AddTelephonyRecording</c> (database, storage queue, outbox).</summary>
    public static IServiceCollection AddTelephonyPromises(this IServiceCollection services, VoicemailSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton<VoicemailRecorder>();
        services.AddSingleton<DispositionService>();
        return services;
    }
}
