namespace Telephony.Interop.Tests.Statistics;

/// <summary>One queue visit as the generator made and saw it.</summary>
internal sealed record DayVisit(string Queue, DateTimeOffset Entered, string Outcome, DateTimeOffset OutcomeAt, string? Agent,
    double TalkSeconds, double WrapUpSeconds);

/// <summary>
/// The over-SIP generator's own record of its compressed day (<see cref="CompressedDay"/>): each queue visit (entered
/// when the caller's INVITE was answered by the IVR, whose first node is the queue; answered when the agent's phone sent
/// 200 OK; abandoned when the caller sent BYE; overflowed at entry + the IVR node's max wait, entering the next queue at
/// that instant) and each agent state change it caused or saw (available at registration, ringing when the INVITE
/// arrived, on call when it answered, available again at a CANCEL, wrap-up when it or the caller hung up, available
/// after the queue's wrap-up, paused and resumed when it asked, logged out at un-registration). Expected report rows
/// are computed from it with the definitions of docs/metrics.md (the same arithmetic as the in-process
/// <c>GroundTruth</c> of tests/Calls.Tests, with this day's thresholds), independently of the server's code.
/// </summary>
internal sealed class DayTruth(double serviceLevelSeconds, double shortAbandonSeconds)
{
    private readonly object _gate = new();
    private readonly List<(string Agent, DateTimeOffset At, string State, string? Reason)> _changes = [];

    public List<DayVisit> Visits { get; } = [];

    /// <summary>Every agent state change, in the order the generator made or saw them.</summary>
    public IReadOnlyList<(string Agent, DateTimeOffset At, string State, string? Reason)> Changes => _changes;

    public void Agent(string agent, DateTimeOffset at, string state, string? reason = null)
    {
        lock (_gate)
        {
            _changes.Add((agent, at, state, reason));
        }
    }

    /// <summary>Reason marking the Available that ends a wrap-up: it does not happen when the agent was paused during the
    /// wrap-up (the pause takes over; see <see cref="Settle"/>).</summary>
    public const string WrapUpEnd = "(wrap-up end)";

    /// <summary>Drops each wrap-up end that fell while the agent was paused (the server keeps a pause asked during the
    /// wrap-up), and clears the marker of the others.</summary>
    public void Settle()
    {
        lock (_gate)
        {
            var settled = new List<(string Agent, DateTimeOffset At, string State, string? Reason)>();
            foreach (var group in _changes.GroupBy(c => c.Agent))
            {
                string state = "LoggedOut";
                foreach (var c in group.OrderBy(c => c.At))
                {
                    if (c.Reason == WrapUpEnd)
                    {
                        if (state != "WrapUp")
                        {
                            continue;
                        }
                        settled.Add((c.Agent, c.At, c.State, null));
                    }
                    else
                    {
                        settled.Add(c);
                    }
                    state = c.State;
                }
            }
            _changes.Clear();
            _changes.AddRange(settled);
        }
    }

    public void Visit(DayVisit visit)
    {
        lock (_gate)
        {
            Visits.Add(visit);
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
        static double Wait(DayVisit x) => Math.Max(0, (x.OutcomeAt - x.Entered).TotalSeconds);
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
