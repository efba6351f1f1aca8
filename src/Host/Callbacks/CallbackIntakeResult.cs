using Telephony.Pbx.Calls;

namespace Telephony.Host.Callbacks;

/// <summary>What <see cref="CallbackIntake.SubmitAsync"/> decided: 202 with the <see cref="Placement"/>, or the HTTP
/// status of the refusal (400 invalid, 404 unknown queue, 409 the queue takes none or the deadline cannot be met,
/// 429 rate-limited with <see cref="RetryAfter"/>, 503 callbacks off) with its reason.</summary>
public sealed record CallbackIntakeResult(int Status, string? Error, CallbackPlacement? Placement = null, TimeSpan? RetryAfter = null)
{
    public static CallbackIntakeResult Invalid(string error) => new(400, error);

    public static CallbackIntakeResult Limited(string error, TimeSpan retryAfter) => new(429, error, RetryAfter: retryAfter);
}
