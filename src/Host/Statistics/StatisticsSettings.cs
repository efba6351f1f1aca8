namespace Telephony.Host.Statistics;

/// <summary>
/// The <c>statistics</c> section of <c>config/telephony.yaml</c>: the business time zone whose wall clock the report
/// intervals follow (docs/metrics.md, "Intervals"). Default <c>Europe/Berlin</c>, the zone of the sample IVR's
/// business hours, so "today" and the intervals match the opening hours callers hear.
/// </summary>
public sealed class StatisticsSettings
{
    /// <summary>The default business time zone.</summary>
    public const string DefaultTimeZone = "Europe/Berlin";

    /// <summary>IANA time zone id (<c>Europe/Berlin</c>, <c>America/New_York</c>, <c>UTC</c>).</summary>
    public string TimeZone { get; set; } = DefaultTimeZone;

    /// <summary>The zone of <see cref="TimeZone"/>.</summary>
    public TimeZoneInfo Zone { get; private set; } = TimeZoneInfo.Utc;

    /// <summary>Binds the section; throws <see cref="FormatException"/> naming the key for an unknown zone.</summary>
    public static StatisticsSettings Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new StatisticsSettings();
        configuration.GetSection("statistics").Bind(settings);
        return settings.WithZone(settings.TimeZone);
    }

    /// <summary>These settings with <paramref name="timeZone"/> resolved; throws <see cref="FormatException"/> when it is
    /// not a known zone id.</summary>
    public StatisticsSettings WithZone(string timeZone)
    {
        try
        {
            Zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
            TimeZone = timeZone;
            return this;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new FormatException($"statistics.timeZone: '{timeZone}' is not a known time zone (an IANA id such as Europe/Berlin)", e);
        }
    }
}
