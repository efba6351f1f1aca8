namespace Telephony.Tests.Shared.Statistics;

/// <summary>How close a report's field must be to the ground truth: ratios within <paramref name="RatioAbsolute"/>,
/// times within <paramref name="TimeRelative"/> of the expected value or <paramref name="TimeAbsoluteSeconds"/>,
/// whichever is larger. Counts always match exactly.</summary>
internal sealed record StatsTolerance(double RatioAbsolute, double TimeRelative, double TimeAbsoluteSeconds)
{
    /// <summary>Ratios within 0.01; times within 1 % or 0.2 s, whichever is larger.</summary>
    public static StatsTolerance Default { get; } = new(RatioAbsolute: 0.01, TimeRelative: 0.01, TimeAbsoluteSeconds: 0.2);
}
