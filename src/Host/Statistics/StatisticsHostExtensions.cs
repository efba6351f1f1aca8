using Telephony.Host.Api;
using Telephony.Host.Ivr;
using Telephony.Recording.Storage;

namespace Telephony.Host.Statistics;

/// <summary>Registers and maps the statistics API and <c>/metrics</c> (one call each from Program).</summary>
public static class StatisticsHostExtensions
{
    /// <summary>Adds <see cref="StatisticsService"/> (on the system clock) and <see cref="MetricsEndpoint"/>.</summary>
    public static IServiceCollection AddTelephonyStatistics(this IServiceCollection services, StatisticsSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(sp => new StatisticsService(sp.GetRequiredService<Database>(), settings, TimeProvider.System,
            sp.GetRequiredService<CallCenter>()));
        services.AddSingleton<MetricsEndpoint>();
        return services;
    }

    /// <summary>Maps <c>/api/stats/*</c>, <c>/api/staffing</c> and <c>/metrics</c>.</summary>
    public static void MapTelephonyStatistics(this WebApplication app)
    {
        app.MapStatisticsApi();
        MetricsEndpoint.Map(app);
    }
}
