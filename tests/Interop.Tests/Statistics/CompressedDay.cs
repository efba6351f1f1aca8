namespace Telephony.Interop.Tests.Statistics;

/// <summary>What a scripted caller of the compressed day does once in the queue.</summary>
internal enum DayPlan
{
    /// <summary>Waits until an agent answers; the agent answers <see cref="DayCall.RingSeconds"/> after its phone rings and
    /// hangs up <see cref="DayCall.HandleSeconds"/> after answering.</summary>
    Answered,

    /// <summary>Hangs up <see cref="DayCall.AbandonSeconds"/> after entering the queue.</summary>
    Abandons,

    /// <summary>Waits in sales until the IVR node's max wait sends the call on to support, where it is answered.</summary>
    Overflows,
}

/// <summary>One scripted caller: calls from the trunk at <see cref="AtSeconds"/> into the DID of <see cref="Queue"/>; the
/// caller number carries <see cref="Index"/>, which is how an agent's phone finds its script.</summary>
internal sealed record DayCall(int Index, double AtSeconds, string Queue, DayPlan Plan, double RingSeconds = 0, double HandleSeconds = 0,
    double AbandonSeconds = 0)
{
    public string Number => "+15550000" + Index.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>An agent pauses with a reason (or resumes, reason null) through the API at a scripted time.</summary>
internal sealed record DayPause(double AtSeconds, string Agent, string? Reason);

/// <summary>
/// A contact-center day compressed to ~40 s (seconds in place of minutes, thresholds scaled: service level 4 s, short
/// abandon 2 s, wrap-up 2 s, sales' max wait 6 s then overflow into support): calls into two queues (support: agents
/// 1001 and 1002; sales: 1003), answered after scripted ring times and hung up after scripted handle times, waits when
/// agents are busy or paused, abandons (short and long, within the threshold and past it), one overflow, and pauses
/// with reasons. The comments give the intended course; the test asserts the server against what actually happened.
/// </summary>
internal static class CompressedDay
{
    public const int ServiceLevelSeconds = 4;
    public const int ShortAbandonSeconds = 2;
    public const int WrapUpSeconds = 2;
    public const int SalesMaxWaitSeconds = 6;
    public const string SupportDid = "0800100100";
    public const string SalesDid = "0800200200";

    public static IReadOnlyList<DayCall> Calls { get; } =
    [
        new(0, 0.0, "support", DayPlan.Answered, RingSeconds: 1.0, HandleSeconds: 6),   // agent A until 7 (+2 wrap-up)
        new(1, 0.5, "sales", DayPlan.Answered, RingSeconds: 1.5, HandleSeconds: 12),    // 1003 until 14 (+2)
        new(2, 1.0, "support", DayPlan.Answered, RingSeconds: 2.0, HandleSeconds: 8),   // agent B until 11 (+2)
        new(3, 2.0, "support", DayPlan.Answered, RingSeconds: 0.5, HandleSeconds: 3),   // waits for A: answered ~9.5, past 4 s
        new(4, 3.0, "support", DayPlan.Abandons, AbandonSeconds: 1.0),                  // short abandon
        new(5, 4.0, "support", DayPlan.Abandons, AbandonSeconds: 3.5),                  // abandon within the 4 s threshold
        new(6, 5.0, "sales", DayPlan.Overflows, RingSeconds: 1.0, HandleSeconds: 4),   // 1003 busy: overflows at 11 into support
        new(7, 8.0, "sales", DayPlan.Abandons, AbandonSeconds: 1.5),                    // short abandon
        new(8, 18.0, "sales", DayPlan.Abandons, AbandonSeconds: 4.5),                   // 1003 in a meeting: abandon past 4 s
        new(9, 20.0, "sales", DayPlan.Answered, RingSeconds: 1.0, HandleSeconds: 3),   // answered when 1003 is back (24)
        new(10, 23.0, "support", DayPlan.Answered, RingSeconds: 1.0, HandleSeconds: 2), // both paused: 1002 back at 27
        new(11, 24.0, "support", DayPlan.Abandons, AbandonSeconds: 1.5),                // short abandon
        new(12, 29.0, "support", DayPlan.Answered, RingSeconds: 0.5, HandleSeconds: 2), // 1001 back at 30
        new(13, 31.0, "sales", DayPlan.Answered, RingSeconds: 2.5, HandleSeconds: 2),
    ];

    public static IReadOnlyList<DayPause> Pauses { get; } =
    [
        new(17.0, "1003", "meeting"),
        new(21.0, "1001", "lunch"),
        new(22.0, "1002", "training"),
        new(24.0, "1003", null),
        new(27.0, "1002", null),
        new(30.0, "1001", null),
    ];

    /// <summary>Warm-up calls before the day (one per queue, answered at once, over before the day starts), so that the
    /// server's first IVR, queue and agent INVITE are not timed cold (JIT: several hundred ms on a loaded box). The
    /// reports are read from the day's start, so they leave these out.</summary>
    public static IReadOnlyList<DayCall> WarmUp { get; } =
    [
        new(900, 0.0, "support", DayPlan.Answered, RingSeconds: 0.2, HandleSeconds: 0.5),
        new(901, 0.2, "sales", DayPlan.Answered, RingSeconds: 0.2, HandleSeconds: 0.5),
    ];

    /// <summary>Seconds from the warm-up calls to the day's start (their wrap-up is over by then).</summary>
    public const double WarmUpSeconds = 5.0;

    /// <summary>The script of call <paramref name="index"/> (the day's or a warm-up call).</summary>
    public static DayCall Script(int index) => index >= 900 ? WarmUp[index - 900] : Calls[index];

    /// <summary>When the agents un-register (logged out), closing every agent span before the reports are read.</summary>
    public const double EndSeconds = 39.0;

    public static IReadOnlyDictionary<string, string> Agents { get; } = new Dictionary<string, string>
    {
        ["1001"] = "support",
        ["1002"] = "support",
        ["1003"] = "sales",
    };

    /// <summary>queues.yaml of the day: two queues, the day's thresholds, no announcements or survey in the way.</summary>
    public static string QueuesYaml =>
        $$"""
        loginOnRegister: true
        defaults:
          strategy: longest-idle
          ringTimeoutSeconds: 15
          wrapUpSeconds: {{WrapUpSeconds}}
          maxWaitSeconds: 120
          announceIntervalSeconds: 120
          noAnswerSkipSeconds: 30
          serviceLevelSeconds: {{ServiceLevelSeconds}}
          shortAbandonSeconds: {{ShortAbandonSeconds}}
        queues:
          - name: support
            members: ["1001", "1002"]
          - name: sales
            members: ["1003"]
        """;

    /// <summary>ivr.yaml of the day: each DID goes straight into its queue; sales overflows into support.</summary>
    public static string IvrYaml =>
        $$"""
        flows:
          support-day:
            numbers: ["{{SupportDid}}"]
            language: en
            start: to-support
            on_error: bye
            nodes:
              to-support:
                type: queue
                queue: support
                max_wait: 120
                overflow: bye
              bye:
                type: hangup
          sales-day:
            numbers: ["{{SalesDid}}"]
            language: en
            start: to-sales
            on_error: bye
            nodes:
              to-sales:
                type: queue
                queue: sales
                max_wait: {{SalesMaxWaitSeconds}}
                overflow: to-support
              to-support:
                type: queue
                queue: support
                max_wait: 120
                overflow: bye
              bye:
                type: hangup
        """;
}
