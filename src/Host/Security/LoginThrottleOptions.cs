namespace Telephony.Host.Security;

/// <summary>Limits on login guessing (<c>auth.*</c>): after <see cref="MaxFailures"/> failures within <see cref="Window"/>
/// for one user or from one source, attempts are refused for <see cref="FirstLockout"/>, doubling with every further
/// failure up to <see cref="MaxLockout"/>.</summary>
public sealed record LoginThrottleOptions
{
    public int MaxFailures { get; init; } = 5;

    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(15);

    public TimeSpan FirstLockout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxLockout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Most users and sources tracked at once (a flood of made-up names cannot grow memory without bound).</summary>
    public int MaxTrackedKeys { get; init; } = 10_000;
}
