namespace Telephony.Recording.Tests.Statistics;

/// <summary>Time zones and instants used by the statistics tests.</summary>
internal static class Zones
{
    public static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    public static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
    public static readonly TimeZoneInfo LordHowe = TimeZoneInfo.FindSystemTimeZoneById("Australia/Lord_Howe");
    public static readonly TimeZoneInfo Kathmandu = TimeZoneInfo.FindSystemTimeZoneById("Asia/Kathmandu");

    /// <summary>A wall-clock time with its offset, e.g. <c>At(2025, 3, 10, 9, 0, 0, +1)</c>.</summary>
    public static DateTimeOffset At(int year, int month, int day, int hour, int minute, int second, double offsetHours) =>
        new(year, month, day, hour, minute, second, TimeSpan.FromHours(offsetHours));

    public static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0, int second = 0) =>
        new(year, month, day, hour, minute, second, TimeSpan.Zero);
}
