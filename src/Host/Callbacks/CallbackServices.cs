using Telephony.Host.Recording;
using Telephony.Recording.Storage;

namespace Telephony.Host.Callbacks;

/// <summary>Registers the callback services of the host: the settings, the ledger (store, events, alerts) and the intake
/// of web and console requests with its rate limiter.</summary>
public static class CallbackServices
{
    public static IServiceCollection AddTelephonyCallbacks(this IServiceCollection services, CallbackSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        services.AddSingleton(settings);
        services.AddSingleton(sp => new CallbackLedger(sp.GetRequiredService<Database>(), sp.GetRequiredService<CallRecorder>()));
        services.AddSingleton(sp => new CallbackIntake(settings, new CallbackRateLimiter(TimeProvider.System),
            sp.GetRequiredService<CallbackLedger>().Store, TimeProvider.System));
        return services;
    }
}
