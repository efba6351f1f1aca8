namespace Telephony.Tests.Shared.Statistics;

/// <summary>
/// A statistics generator's own record of a day (queue visits and agent state changes) and the report rows expected
/// from it, computed with the definitions of docs/metrics.md independently of the server's code. Shared by the
/// in-process day of tests/Calls.Tests (<c>GroundTruth</c>) and the over-SIP day of tests/Interop.Tests
/// (<c>DayTruth</c>), which differ only in their thresholds and in how they record.
/// </summary>
/// <param name="serviceLevelSeconds">The queue's service-level threshold: answered (or abandoned) within it counts.</param>
/// <param name="shortAbandonSeconds">Abandoned within it is a short abandon (left out of the ratios' denominator).</param>
internal class DayGroundTruth(double serviceLevelSeconds, double shortAbandonSeconds)
{
    private readonly object _gate = new();
    private readonly List<(string Agent, DateTimeOffset At, string State, string? Reason)> _changes = [];

    public List<TruthVisit> Visits { get; } = [];

    /// <summary>Every agent state change, in the order the generator made or saw them.</summary>
    public IReadOnlyList<(string Agent, DateTimeOffset At, string State, string? Reason)> Changes => _changes;

    /// <summary>Records an agent state change (thread-safe: the over-SIP generator's phones record concurrently).</summary>
    public void Agent(string agent, DateTimeOffset at, string state, string? reason = null)
    {
        lock (_gate)
        {
            _changes.Add((agent, at, state, reason));
        }
    }

    /// <summary>Records a queue visit (thread-safe).</summary>
    public void Visit(TruthVisit visit)
    {
        lock (_gate)
        {
            Visits.Add(visit);
        }
    }

    /// <summary>Replaces the recorded agent changes by <paramref name="rewrite"/> of them, under the lock.</summary>
    protected void RewriteChanges(
        Func<IReadOnlyList<(string Agent, DateTimeOffset At, string State, string? Reason)>,
            List<(string Agent, DateTimeOffset At, string State, string? Reason)>> rewrite)
    {
        ArgumentNullException.ThrowIfNull(rewrite);
        lock (_gate)
        {
            var rewritten = rewrite(_changes);
            _changes.Clear();
            _changes.AddRange(rewritten);
        }
    }

    /// <summary>Expected queue fields (every numeric field of a row of <c>/api/stats/queues</c>) for the visits entered in
    /// [from, to), each with the outcome it had at <paramref name="asOf"/> (default: the end of the day).</summary>
    public Dictionary<string, double?> Queue(string queue, DateTimeOffset from, DateTimeOffset to, DateTimeOffset? asOf = null)
    {
        DateTimeOffset now = asOf ?? DateTimeOffset.MaxValue;
        var entered = Visits.Where(x => x.Queue == queue && x.Entered >= from && x.Entered < to && x.Entered <= now).ToList();
        var v = entered.Where(x => x.OutcomeAt <= now).ToList(); // left the queue by now
        int waiting = entered.Count - v.Count;
        static double Wait(TruthVisit x) => Math.Max(0, (x.OutcomeAt - x.Entered).TotalSeconds);
        var answered = v.Where(x => x.Outcome == "Answered").ToList();
        var handled = answered.Where(x => x.OutcomeAt.AddSeconds(x.TalkSeconds + x.WrapUpSeconds) <= now).ToList();
        var abandoned = v.Where(x => x.Outcome == "Abandoned").ToList();
        int shortAbandoned = abandoned.Count(x => Wait(x) <= shortAbandonSeconds);
        int within = answered.Count(x => Wait(x) <= serviceLevelSeconds);
        int abandonedWithin = abandoned.Count(x => Wait(x) <= serviceLevelSeconds);
        int denominator = entered.Count - shortAbandoned - waiting;
        return new Dictionary<string, double?>
        {
            ["offered"] = entered.Count,
            ["answered"] = answered.Count,
            ["abandoned"] = abandoned.Count,
            ["shortAbandoned"] = shortAbandoned,
            ["overflowed"] = v.Count(x => x.Outcome == "Overflowed"),
            ["answeredWithinThreshold"] = within,
            ["serviceLevel"] = denominator == 0 ? null : within / (double)denominator,
            ["abandonRate"] = denominator == 0 ? null : (abandoned.Count - shortAbandoned) / (double)denominator,
            ["asaSeconds"] = answered.Count == 0 ? null : answered.Average(Wait),
            ["avgWaitSeconds"] = v.Count == 0 ? null : v.Average(Wait),
            ["longestWaitSeconds"] = v.Count == 0 ? null : v.Max(Wait),
            ["ahtSeconds"] = handled.Count == 0 ? null : handled.Average(x => x.TalkSeconds + x.WrapUpSeconds),
            ["callbacksRequested"] = 0,
            ["callbacksCompleted"] = 0,
            ["waiting"] = waiting,
            ["other"] = 0,
            ["abandonedWithinThreshold"] = abandonedWithin,
            ["serviceLevelAnsweredOnly"] = answered.Count == 0 ? null : within / (double)answered.Count,
            ["serviceLevelAbandonsMet"] = entered.Count - waiting == 0 ? null : (within + abandonedWithin) / (double)(entered.Count - waiting),
            ["serviceLevelSeconds"] = serviceLevelSeconds,
            ["shortAbandonSeconds"] = shortAbandonSeconds,
            ["answeredWaitSeconds"] = answered.Sum(Wait),
            ["waitCount"] = v.Count,
            ["waitSeconds"] = v.Sum(Wait),
            ["handledCount"] = handled.Count,
            ["handleSeconds"] = handled.Sum(x => x.TalkSeconds + x.WrapUpSeconds),
        };
    }

    /// <summary>Expected fields of a queue's row of <c>/api/stats/realtime</c> at <paramref name="now"/>: callers waiting
    /// and the longest current wait, the members by state, and the day so far (from <paramref name="dayFrom"/>).</summary>
    public Dictionary<string, double?> Realtime(string queue, IReadOnlyList<string> members, DateTimeOffset dayFrom, DateTimeOffset now)
    {
        var waiting = Visits.Where(x => x.Queue == queue && x.Entered <= now && x.OutcomeAt > now).ToList();
        var today = Queue(queue, dayFrom, now.AddTicks(1), now);
        var row = new Dictionary<string, double?>
        {
            ["waiting"] = waiting.Count,
            ["longestWaitSeconds"] = waiting.Count == 0 ? 0 : (now - waiting.Min(x => x.Entered)).TotalSeconds,
        };
        foreach (string state in new[] { "LoggedOut", "Available", "Ringing", "OnCall", "WrapUp", "Paused" })
        {
            row["agents" + state] = members.Count(m => StateAt(m, now).State == state);
        }

        row["offeredToday"] = today["offered"];
        row["answeredToday"] = today["answered"];
        row["abandonedToday"] = today["abandoned"];
        row["shortAbandonedToday"] = today["shortAbandoned"];
        row["answeredWithinThresholdToday"] = today["answeredWithinThreshold"];
        row["serviceLevelToday"] = today["serviceLevel"];
        row["abandonRateToday"] = today["abandonRate"];
        return row;
    }

    /// <summary>The state <paramref name="agent"/> is in at <paramref name="now"/> (its last change at or before it).</summary>
    public (string State, string? Reason, DateTimeOffset? Since) StateAt(string agent, DateTimeOffset now)
    {
        var last = _changes.Where(c => c.Agent == agent && c.At <= now).OrderBy(c => c.At).LastOrDefault();
        return last.Agent is null ? ("LoggedOut", null, null) : (last.State, last.Reason, last.At);
    }

    /// <summary>Expected agent fields over [from, min(to, now)).</summary>
    public Dictionary<string, double?> AgentRow(string agent, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now,
        DateTimeOffset visitsFrom, DateTimeOffset visitsTo)
    {
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        var changes = _changes.Where(c => c.Agent == agent).OrderBy(c => c.At).ToList();
        DateTimeOffset end = to < now ? to : now;
        for (var i = 0; i < changes.Count; i++)
        {
            DateTimeOffset a = changes[i].At > from ? changes[i].At : from;
            DateTimeOffset spanEnd = i + 1 < changes.Count ? changes[i + 1].At : now;
            DateTimeOffset b = spanEnd < end ? spanEnd : end;
            if (b > a && changes[i].State != "LoggedOut")
            {
                string key = changes[i].State == "Paused" ? "paused:" + (changes[i].Reason ?? "unspecified") : changes[i].State;
                seconds[key] = seconds.GetValueOrDefault(key) + (b - a).TotalSeconds;
            }
        }

        double S(string k) => seconds.GetValueOrDefault(k);
        double paused = seconds.Where(p => p.Key.StartsWith("paused:", StringComparison.Ordinal)).Sum(p => p.Value);
        double staffed = S("Available") + S("Ringing") + S("OnCall") + S("WrapUp") + paused;
        var row = new Dictionary<string, double?>
        {
            ["handled"] = Visits.Count(x => x.Agent == agent && x.Outcome == "Answered" && x.Entered >= visitsFrom && x.Entered < visitsTo),
            ["talkSeconds"] = S("OnCall"),
            ["wrapUpSeconds"] = S("WrapUp"),
            ["ringingSeconds"] = S("Ringing"),
            ["availableSeconds"] = S("Available"),
            ["pausedSeconds"] = paused,
            ["staffedSeconds"] = staffed,
            ["occupancy"] = staffed == 0 ? null : (S("OnCall") + S("WrapUp")) / staffed,
        };
        foreach (var (key, value) in seconds.Where(p => p.Key.StartsWith("paused:", StringComparison.Ordinal)))
        {
            row[key] = value;
        }

        return row;
    }
}
