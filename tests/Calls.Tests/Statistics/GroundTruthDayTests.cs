using System.Globalization;
using System.Text.Json;
using Telephony.Calls.Tests.InProcess;
using Telephony.Host.Api;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Calls.Tests.Statistics;

/// <summary>
/// Ground truth, in process: <see cref="SyntheticDay"/> is placed on the real PBX and the Host's call center over SIP
/// (trunk callers through the IVR into support and sales, scripted agent phones), on the fake clock, with the Host's
/// <c>CallRecorder</c> writing to SQLite. The generator keeps its own record (<see cref="GroundTruth"/>); every field of
/// <c>/api/stats/queues</c> and <c>/api/stats/agents</c> (60 m intervals and whole-day totals) must match it: counts
/// exactly, times within 1 % or 0.2 s, whichever is larger.
/// </summary>
public sealed class GroundTruthDayTests
{
    private const string SupportLine = "08001234567";
    private static readonly TimeSpan Wrap = TimeSpan.FromSeconds(10);

    [Fact(Skip = "Unfinished: after a clock jump over a 180 s talk the server rings agent 1001 again for the bridged caller "
        + "(seen at answer + 180 s, 09:08:07); to be understood before the day can run through")]
    public async Task A_synthetic_day_over_SIP_matches_the_stats_api_field_by_field()
    {
        await using var s = await StatisticsPbx.StartAsync();
        var truth = new GroundTruth();
        var driver = new DayDriver(s, truth);
        await driver.RunAsync();

        DateTimeOffset start = driver.DayStart, end = start.AddMinutes(SyntheticDay.DayMinutes + 10);
        string range = $"?from={Uri.EscapeDataString(start.ToString("o", CultureInfo.InvariantCulture))}" +
            $"&to={Uri.EscapeDataString(end.ToString("o", CultureInfo.InvariantCulture))}&interval=60m";
        var (status, queues, _) = await s.GetAsync(StatisticsApi.QueuesAsync, range);
        Assert.Equal(200, status);
        var checkedFields = 0;
        foreach (JsonElement row in queues.GetProperty("rows").EnumerateArray().Concat(queues.GetProperty("totals").EnumerateArray()))
        {
            string queue = row.GetProperty("queue").GetString()!;
            if (queue is not ("support" or "sales"))
            {
                Assert.Equal(0, row.GetProperty("offered").GetInt32());
                continue;
            }

            var (from, to) = Interval(row);
            checkedFields += Compare(truth.Queue(queue, from, to), row, $"{queue} {from:HH:mm}");
        }

        var (agentStatus, agents, _) = await s.GetAsync(StatisticsApi.AgentsAsync, range);
        Assert.Equal(200, agentStatus);
        DateTimeOffset now = s.Stats.Now;
        foreach (JsonElement row in agents.GetProperty("rows").EnumerateArray().Concat(agents.GetProperty("totals").EnumerateArray()))
        {
            string agent = row.GetProperty("agent").GetString()!;
            if (!SyntheticDay.Agents.ContainsKey(agent))
            {
                continue;
            }

            var (from, to) = Interval(row);
            var expected = truth.AgentRow(agent, from, to, now, from, to);
            var actual = row.GetProperty("pausedSecondsByReason");
            foreach (var reason in actual.EnumerateObject())
            {
                Assert.True(expected.ContainsKey("paused:" + reason.Name), $"{agent} {from:HH:mm}: unexpected pause reason {reason.Name}");
            }

            foreach (var (key, value) in expected.Where(p => p.Key.StartsWith("paused:", StringComparison.Ordinal)))
            {
                Close(value!.Value, actual.GetProperty(key["paused:".Length..]).GetDouble(), $"{agent} {from:HH:mm} {key}");
                checkedFields++;
            }

            checkedFields += Compare(expected.Where(p => !p.Key.StartsWith("paused:", StringComparison.Ordinal))
                .ToDictionary(p => p.Key, p => p.Value), row, $"{agent} {from:HH:mm}");
        }

        Assert.True(checkedFields > 400, $"only {checkedFields} fields checked");
        Assert.Equal(SyntheticDay.Calls.Count, truth.Visits.Count);

        var (realtimeStatus, realtime, _) = await s.GetAsync(StatisticsApi.RealtimeAsync, "");
        Assert.Equal(200, realtimeStatus);
        Assert.All(realtime.GetProperty("queues").EnumerateArray(), q => Assert.Equal(0, q.GetProperty("waiting").GetInt32()));
        Assert.Equal(1, driver.RealtimeWaitingDuringOverflow);
        Close(100, driver.RealtimeLongestWaitDuringOverflow, "realtime longest wait 100 s into the overflow call");
    }

    private static (DateTimeOffset From, DateTimeOffset To) Interval(JsonElement row) =>
        (DateTimeOffset.Parse(row.GetProperty("intervalStart").GetString()!, CultureInfo.InvariantCulture),
         DateTimeOffset.Parse(row.GetProperty("intervalEnd").GetString()!, CultureInfo.InvariantCulture));

    private static int Compare(Dictionary<string, double?> expected, JsonElement row, string where)
    {
        foreach (var (field, value) in expected)
        {
            JsonElement actual = row.GetProperty(field);
            if (value is null)
            {
                Assert.True(actual.ValueKind == JsonValueKind.Null, $"{where} {field}: expected null, got {actual}");
                continue;
            }

            Assert.True(actual.ValueKind == JsonValueKind.Number, $"{where} {field}: expected {value}, got {actual}");
            if (field is "offered" or "answered" or "abandoned" or "shortAbandoned" or "overflowed" or "answeredWithinThreshold"
                or "callbacksRequested" or "handled")
            {
                Assert.True(value.Value == actual.GetDouble(), $"{where} {field}: expected {value}, got {actual}");
            }
            else if (field is "serviceLevel" or "abandonRate" or "occupancy")
            {
                Assert.True(Math.Abs(value.Value - actual.GetDouble()) <= 0.01, $"{where} {field}: expected {value}, got {actual}");
            }
            else
            {
                Close(value.Value, actual.GetDouble(), $"{where} {field}");
            }
        }

        return expected.Count;
    }

    /// <summary>Times: within 1 % or 0.2 s, whichever is larger.</summary>
    private static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= Math.Max(0.2, Math.Abs(expected) * 0.01), $"{what}: expected {expected:F3}, got {actual:F3}");

    /// <summary>Plays the script on the PBX step by step on the fake clock: 20 ms media ticks while a caller is in the
    /// IVR, 50 ms steps while anyone waits or rings (so every reaction is stamped within a step), a jump otherwise.</summary>
    private sealed class DayDriver(StatisticsPbx s, GroundTruth truth)
    {
        private readonly InProcessPbx _pbx = s.Pbx;
        private readonly List<Caller> _callers = [];
        private readonly Dictionary<string, SipTestPeer> _phones = [];
        private readonly List<AgentCall> _agentCalls = [];
        private readonly HashSet<string> _invites = [];
        private SipTestPeer _trunk = null!;
        private DateTimeOffset _nextRegister;

        public DateTimeOffset DayStart { get; private set; }

        public int RealtimeWaitingDuringOverflow { get; private set; } = -1;

        public double RealtimeLongestWaitDuringOverflow { get; private set; } = -1;

        private DateTimeOffset Now => _pbx.Time.GetUtcNow();

        public async Task RunAsync()
        {
            DayStart = Now;
            _trunk = _pbx.Trunk();
            foreach (string agent in SyntheticDay.Agents.Keys)
            {
                var phone = _pbx.Phone(agent);
                Assert.Equal(200, (await phone.RegisterAsync(3600)).StatusCode);
                _phones[agent] = phone;
                truth.Agent(agent, Now, "Available");
            }

            _nextRegister = Now.AddMinutes(30);
            var pending = SyntheticDay.Calls.Select(c => (At: DayStart.AddMinutes(c.AtMinutes), Call: c)).ToList();
            var pauses = SyntheticDay.Pauses.Select(p => (At: DayStart.AddMinutes(p.AtMinutes), Pause: p)).ToList();
            DateTimeOffset end = DayStart.AddMinutes(SyntheticDay.DayMinutes + 10);
            var minute = -1;
            while (Now < end)
            {
                if ((int)(Now - DayStart).TotalMinutes != minute && Environment.GetEnvironmentVariable("TELEPHONY_DAY_PROGRESS") is { } log)
                {
                    minute = (int)(Now - DayStart).TotalMinutes;
                    await File.AppendAllTextAsync(log, $"{DateTime.UtcNow:HH:mm:ss.fff} day minute {minute}: {string.Join(' ', _callers.Select(c => c.Phase))}\n");
                }

                foreach (var due in pending.Where(p => p.At <= Now).ToList())
                {
                    pending.Remove(due);
                    await StartCallAsync(due.Call);
                }

                foreach (var due in pauses.Where(p => p.At <= Now).ToList())
                {
                    pauses.Remove(due);
                    await PauseAsync(due.Pause);
                }

                await StepCallsAsync();
                if (Now >= _nextRegister)
                {
                    foreach (var phone in _phones.Values)
                    {
                        Assert.Equal(200, (await phone.RegisterAsync(3600)).StatusCode);
                    }

                    _nextRegister = Now.AddMinutes(30);
                }

                await AdvanceAsync(pending.Select(p => p.At).Concat(pauses.Select(p => p.At)).Append(_nextRegister).Append(end));
            }

            await Task.Delay(200);
        }

        private async Task AdvanceAsync(IEnumerable<DateTimeOffset> scripted)
        {
            if (_callers.Any(c => c.Phase == Phase.Ivr || c.TickMediaUntil > Now))
            {
                await _pbx.TickAsync(TimeSpan.FromMilliseconds(20));
                return;
            }

            DateTimeOffset next = scripted.Concat(_callers.Select(c => c.NextAt)).Concat(_agentCalls.Select(a => a.NextAt)).Min();
            bool busy = _callers.Any(c => c.Phase is Phase.Queued) || _agentCalls.Any(a => a.Phase == Phase.Ringing);
            if (busy || next - Now <= TimeSpan.FromSeconds(1))
            {
                _pbx.Time.Advance(TimeSpan.FromMilliseconds(50));
                await Task.Delay(2);
                return;
            }

            _pbx.Time.Advance(next - Now - TimeSpan.FromMilliseconds(500));
            await Task.Delay(20);
        }

        private async Task StartCallAsync(ScriptedCall script)
        {
            var media = _pbx.RtpPeer();
            var uac = await _trunk.CallAsync(SupportLine, media.Offer());
            var ok = await uac.FinalAsync();
            Assert.Equal(200, ok.StatusCode);
            media.ConnectTo(ok.Body);
            var call = (ApplicationCall)await _pbx.CallAsync(uac.Invite.CallId!);
            _callers.Add(new Caller(script, uac, media, call.InteractionId) { Phase = Phase.Ivr, NextAt = Now.AddSeconds(3) });
        }

        private async Task PauseAsync(ScriptedPause pause)
        {
            var scheduler = s.CallCenter.Queues!.Scheduler;
            QueueCommand command = pause.Reason is null ? new AgentResumed(pause.Agent) : new AgentPaused(pause.Agent, pause.Reason);
            await scheduler.SendAsync(command);
            truth.Agent(pause.Agent, Now, pause.Reason is null ? "Available" : "Paused", pause.Reason);
        }

        private async Task StepCallsAsync()
        {
            foreach (var caller in _callers.Where(c => c.NextAt <= Now).ToList())
            {
                switch (caller.Phase)
                {
                    case Phase.Ivr:
                        caller.Media.Digit(caller.Script.Digit);
                        caller.Entered = Now;
                        caller.TickMediaUntil = Now.AddMilliseconds(400); // the server's media loop reads the digit
                        caller.Phase = Phase.Queued;
                        caller.NextAt = caller.Script.Plan switch
                        {
                            CallerPlan.Abandons => Now.AddSeconds(caller.Script.AbandonSeconds),
                            CallerPlan.Overflows => Now.AddSeconds(100),
                            _ => DateTimeOffset.MaxValue,
                        };
                        break;
                    case Phase.Queued when caller.Script.Plan == CallerPlan.Abandons:
                        await caller.Uac.ByeAsync();
                        truth.Visits.Add(new TruthVisit(caller.Script.Queue, caller.Entered, "Abandoned", Now, null, 0, 0));
                        caller.Phase = Phase.Done;
                        break;
                    case Phase.Queued when caller.Script.Plan == CallerPlan.Overflows && RealtimeWaitingDuringOverflow < 0:
                        var (_, realtime, _) = await s.GetAsync(StatisticsApi.RealtimeAsync, "");
                        var support = realtime.GetProperty("queues").EnumerateArray().Single(q => q.GetProperty("queue").GetString() == "support");
                        RealtimeWaitingDuringOverflow = support.GetProperty("waiting").GetInt32();
                        RealtimeLongestWaitDuringOverflow = support.GetProperty("longestWaitSeconds").GetDouble();
                        caller.NextAt = caller.Entered.AddSeconds(305);
                        break;
                    case Phase.Queued when caller.Script.Plan == CallerPlan.Overflows:
                        truth.Visits.Add(new TruthVisit(caller.Script.Queue, caller.Entered, "Overflowed", caller.Entered.AddMinutes(5), null, 0, 0));
                        caller.Phase = Phase.Done;
                        caller.NextAt = DateTimeOffset.MaxValue;
                        try
                        {
                            await caller.Uac.ByeAsync();
                        }
                        catch (TimeoutException)
                        {
                            // The server may have hung up first (the all-busy prompt): the visit is what counts.
                        }

                        break;
                }
            }

            foreach (var (agent, phone) in _phones)
            {
                while (phone.Has(m => m is SipRequest { Method: SipMethod.Invite } r && r.To?.Tag is null))
                {
                    var ring = await phone.ExpectCallAsync();
                    if (!_invites.Add(ring.Invite.CallId!))
                    {
                        continue; // a retransmission (RFC 3261 §17.1.1.2) of an INVITE already taken
                    }

                    ring.Ring();
                    string interaction = ring.Invite.Headers.Get("X-Telephony-Interaction")!;
                    var caller = _callers.SingleOrDefault(c => c.Interaction == interaction && c.Phase == Phase.Queued)
                        ?? throw new InvalidOperationException($"{agent} rung at {Now:HH:mm:ss.fff} for {interaction} ({ring.Invite.CallId}); callers: "
                            + string.Join(", ", _callers.Select(c => $"{c.Interaction}={c.Phase}")));
                    _agentCalls.Add(new AgentCall(agent, phone, ring, caller, _pbx.RtpPeer())
                    {
                        Phase = Phase.Ringing,
                        NextAt = Now.AddSeconds(caller.Script.RingSeconds),
                    });
                    truth.Agent(agent, Now, "Ringing");
                }
            }

            foreach (var a in _agentCalls.Where(a => a.NextAt <= Now).ToList())
            {
                if (a.Phase == Phase.Ringing)
                {
                    a.Ring.Answer(a.Media.Answer());
                    a.Media.ConnectTo(a.Ring.Invite.Body);
                    await a.Phone.ExpectRequestAsync(SipMethod.Ack, a.Ring.Invite.CallId);
                    a.Answered = Now;
                    a.Caller.Phase = Phase.Talking;
                    a.Phase = Phase.Talking;
                    a.NextAt = Now.AddSeconds(a.Caller.Script.HandleSeconds);
                    truth.Agent(a.Agent, Now, "OnCall");
                }
                else if (a.Phase == Phase.Talking)
                {
                    await a.Ring.ByeAsync();
                    truth.Visits.Add(new TruthVisit(a.Caller.Script.Queue, a.Caller.Entered, "Answered", a.Answered, a.Agent,
                        (Now - a.Answered).TotalSeconds, Wrap.TotalSeconds));
                    truth.Agent(a.Agent, Now, "WrapUp");
                    truth.Agent(a.Agent, Now + Wrap, "Available");
                    a.Phase = Phase.Done;
                    a.Caller.Phase = Phase.Done;
                    a.NextAt = DateTimeOffset.MaxValue;
                    await Task.Delay(10);
                }
            }
        }
    }

    private enum Phase
    {
        Ivr,
        Queued,
        Ringing,
        Talking,
        Done,
    }

    private sealed class Caller(ScriptedCall script, UacCall uac, RtpTestPeer media, string interaction)
    {
        public ScriptedCall Script { get; } = script;
        public UacCall Uac { get; } = uac;
        public RtpTestPeer Media { get; } = media;
        public string Interaction { get; } = interaction;
        public Phase Phase { get; set; }
        public DateTimeOffset NextAt { get; set; } = DateTimeOffset.MaxValue;
        public DateTimeOffset Entered { get; set; }
        public DateTimeOffset TickMediaUntil { get; set; }
    }

    private sealed class AgentCall(string agent, SipTestPeer phone, UasCall ring, Caller caller, RtpTestPeer media)
    {
        public string Agent { get; } = agent;
        public SipTestPeer Phone { get; } = phone;
        public UasCall Ring { get; } = ring;
        public Caller Caller { get; } = caller;
        public RtpTestPeer Media { get; } = media;
        public Phase Phase { get; set; }
        public DateTimeOffset NextAt { get; set; } = DateTimeOffset.MaxValue;
        public DateTimeOffset Answered { get; set; }
    }
}
