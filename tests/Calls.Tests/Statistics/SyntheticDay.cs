namespace Telephony.Calls.Tests.Statistics;

/// <summary>What a scripted caller does once in the queue.</summary>
internal enum CallerPlan
{
    /// <summary>Waits until an agent answers (the agent answers <see cref="ScriptedCall.RingSeconds"/> after its phone
    /// rings and hangs up <see cref="ScriptedCall.HandleSeconds"/> later).</summary>
    Answered,

    /// <summary>Hangs up <see cref="ScriptedCall.AbandonSeconds"/> after entering the queue.</summary>
    Abandons,

    /// <summary>Waits until the queue's max wait (the IVR node's 5 minutes) sends them to the overflow.</summary>
    Overflows,
}

/// <summary>One scripted caller: arrives from the trunk at <see cref="AtMinutes"/> after the day starts and presses
/// <see cref="Digit"/> (1 sales, 2 support) in the IVR.</summary>
internal sealed record ScriptedCall(double AtMinutes, char Digit, CallerPlan Plan, double RingSeconds = 0, double HandleSeconds = 0,
    double AbandonSeconds = 0)
{
    public string Queue => Digit == '1' ? "sales" : "support";
}

/// <summary>An agent pauses (with a reason) or resumes at a scripted time.</summary>
internal sealed record ScriptedPause(double AtMinutes, string Agent, string? Reason);

/// <summary>
/// The deterministic synthetic day: a business day (10:00–17:00 Berlin) of calls into two queues (support: agents 1001
/// and 1002; sales: 1003), agents answering after scripted ring times and hanging up after scripted handle times,
/// callers abandoning at scripted moments (some within the 5 s short-abandon threshold), one overflow after the 5-minute
/// max wait, and agents pausing with reasons (which is what makes callers wait, abandon and overflow).
/// </summary>
internal static class SyntheticDay
{
    public static IReadOnlyList<ScriptedCall> Calls { get; } =
    [
        new(5, '2', CallerPlan.Answered, RingSeconds: 4, HandleSeconds: 180),
        new(12, '1', CallerPlan.Answered, RingSeconds: 6, HandleSeconds: 200),
        new(20, '2', CallerPlan.Answered, RingSeconds: 8, HandleSeconds: 240),
        new(21, '2', CallerPlan.Answered, RingSeconds: 15, HandleSeconds: 120),
        new(50, '2', CallerPlan.Answered, RingSeconds: 3, HandleSeconds: 300),
        new(50.5, '2', CallerPlan.Answered, RingSeconds: 5, HandleSeconds: 320),
        new(51, '2', CallerPlan.Answered, RingSeconds: 2, HandleSeconds: 90),   // waits for the first agent free
        new(75, '1', CallerPlan.Answered, RingSeconds: 3, HandleSeconds: 60),
        new(121, '2', CallerPlan.Abandons, AbandonSeconds: 3),                 // short abandon: both agents paused
        new(122, '2', CallerPlan.Abandons, AbandonSeconds: 40),
        new(140, '2', CallerPlan.Overflows),                                    // 1001 at lunch, 1002 in training
        new(160, '2', CallerPlan.Answered, RingSeconds: 7, HandleSeconds: 150), // 1002 is back
        new(205, '1', CallerPlan.Abandons, AbandonSeconds: 4),                 // 1003 in a meeting: short abandon
        new(210, '1', CallerPlan.Abandons, AbandonSeconds: 30),
        new(240, '1', CallerPlan.Answered, RingSeconds: 6, HandleSeconds: 100),
        new(300, '2', CallerPlan.Answered, RingSeconds: 10, HandleSeconds: 200),
        new(330, '2', CallerPlan.Answered, RingSeconds: 4, HandleSeconds: 260),
        new(335, '1', CallerPlan.Answered, RingSeconds: 12, HandleSeconds: 45),
        new(370, '2', CallerPlan.Answered, RingSeconds: 2, HandleSeconds: 400),
        new(400, '1', CallerPlan.Answered, RingSeconds: 9, HandleSeconds: 75),
    ];

    public static IReadOnlyList<ScriptedPause> Pauses { get; } =
    [
        new(115, "1001", "lunch"),
        new(118, "1002", "training"),
        new(150, "1002", null),
        new(175, "1001", null),
        new(200, "1003", "meeting"),
        new(230, "1003", null),
        new(350, "1003", "break"),
        new(365, "1003", null),
    ];

    /// <summary>When (minutes into the day) the generator reads <c>/api/stats/realtime</c>: a caller waiting while both
    /// support agents talk, a caller waiting while both are paused, sales' agent in a meeting, sales' agent ringing.</summary>
    public static IReadOnlyList<double> RealtimeChecks { get; } = [51.5, 122.5, 201, 335 + (10 / 60.0)];

    /// <summary>Length of the scripted day.</summary>
    public const double DayMinutes = 420;

    /// <summary>Agents of the sample queues.yaml used by the day, and their queue.</summary>
    public static IReadOnlyDictionary<string, string> Agents { get; } = new Dictionary<string, string>
    {
        ["1001"] = "support",
        ["1002"] = "support",
        ["1003"] = "sales",
    };
}
