using System.Text.Json;
using Telephony.Calls.Tests.InProcess;
using Telephony.Host.Api;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Queues.Commands;
using Telephony.Pbx.Sip.Messages;
using Telephony.Tests.Shared.Statistics;

namespace Telephony.Calls.Tests.Statistics;

/// <summary>
/// Plays <see cref="SyntheticDay"/> on the PBX on the fake clock and writes the <see cref="GroundTruth"/> of what it did
/// and saw. The clock moves in 20 ms media ticks while a caller sends a digit (RFC 4733, one packet per tick);
/// otherwise it jumps straight to the next instant something happens: a scripted arrival, pause, answer, hang-up or
/// abandon, or an instant the script makes the server act on its own (an agent's wrap-up ends; a caller's max wait,
/// approached in 50 ms steps). The media loops skip ahead over a jump (the greeting is not heard: nothing in the
/// statistics depends on it).
/// After every step it lets the server settle (the clock stands still until the server's threads are idle), so every
/// reaction of the server, e.g. the INVITE of a ring, is seen at the instant that caused it.
/// </summary>
internal sealed class DayDriver(StatisticsPbx s, GroundTruth truth)
{
    private const string SupportLine = "08001234567";
    private static readonly TimeSpan Wrap = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxWait = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan Frame = TimeSpan.FromMilliseconds(20);

    private readonly InProcessPbx _pbx = s.Pbx;
    private readonly List<Caller> _callers = [];
    private readonly Dictionary<string, SipTestPeer> _phones = [];
    private readonly List<AgentCall> _agentCalls = [];
    private readonly HashSet<string> _invites = [];
    private SipTestPeer _trunk = null!;
    private readonly List<DateTimeOffset> _wrapUpEnds = [];
    private DateTimeOffset _nextRegister;

    public DateTimeOffset DayStart { get; private set; }

    /// <summary><c>/api/stats/realtime</c> as read at the scripted instants (<see cref="SyntheticDay.RealtimeChecks"/>) and
    /// 100 s into the overflowing caller's wait.</summary>
    public List<(DateTimeOffset At, JsonElement Json)> Realtime { get; } = [];

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

        await SettleAsync(snap => SyntheticDay.Agents.Keys.All(a => snap.FindAgent(a)?.State == AgentState.Available), "agents logged in");

        _nextRegister = Now.AddMinutes(30);
        var pending = SyntheticDay.Calls.Select(c => (At: DayStart.AddMinutes(c.AtMinutes), Call: c)).ToList();
        var pauses = SyntheticDay.Pauses.Select(p => (At: DayStart.AddMinutes(p.AtMinutes), Pause: p)).ToList();
        var checks = SyntheticDay.RealtimeChecks.Select(m => DayStart.AddMinutes(m)).ToList();
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
            foreach (var due in checks.Where(c => c <= Now).ToList())
            {
                checks.Remove(due);
                await ReadRealtimeAsync();
            }

            if (Now >= _nextRegister)
            {
                foreach (var phone in _phones.Values)
                {
                    Assert.Equal(200, (await phone.RegisterAsync(3600)).StatusCode);
                }

                _nextRegister = Now.AddMinutes(30);
            }

            await AdvanceAsync(pending.Select(p => p.At).Concat(pauses.Select(p => p.At)).Concat(checks).Append(_nextRegister).Append(end));
        }

        await Task.Delay(200);
    }

    private async Task AdvanceAsync(IEnumerable<DateTimeOffset> scripted)
    {
        if (_callers.Any(c => c.TickMediaUntil > Now))
        {
            await _pbx.TickAsync(Frame); // a digit on its way: the server's reaction is seen at its tick
            await SettleAsync();
            return;
        }

        DateTimeOffset next = scripted.Concat(_callers.Select(c => c.NextAt)).Concat(_agentCalls.Select(a => a.NextAt))
            .Concat(_wrapUpEnds.Where(t => t > Now)).Min();
        TimeSpan step = next - Now;
        if (_callers.FirstOrDefault(c => c.Phase == Phase.Queued && c.Script.Plan == CallerPlan.Overflows) is { } overflowing)
        {
            // The server's own max-wait timer: from 1 s before it to 1 s after, in 50 ms steps.
            DateTimeOffset approach = overflowing.Entered + MaxWait - TimeSpan.FromSeconds(1);
            if (Now < approach && approach < next)
            {
                step = approach - Now;
            }
            else if (Now >= approach && Now < approach + TimeSpan.FromSeconds(2) && step > TimeSpan.FromMilliseconds(50))
            {
                step = TimeSpan.FromMilliseconds(50);
            }
        }

        if (step <= TimeSpan.Zero)
        {
            step = Frame;
        }

        _pbx.Time.Advance(step);
        await SettleAsync();
    }

    /// <summary>Waits (real time; the fake clock stands still) until the server has done what the current instant asks
    /// of it: the queue scheduler has processed every command posted so far, its actions are executed, no SIP message is
    /// on the wire and the thread pool has nothing queued, three polls in a row.</summary>
    private async Task SettleAsync()
    {
        var scheduler = s.CallCenter.Queues!.Scheduler;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        for (var quiet = 0; quiet < 3 && DateTime.UtcNow < deadline; await Task.Delay(1))
        {
            await scheduler.GetSnapshotAsync();
            quiet = _pbx.Network.IsQuiet && scheduler.Actions.Count == 0 && ThreadPool.PendingWorkItemCount == 0 ? quiet + 1 : 0;
        }
    }

    /// <summary>Waits (real time) until the queue scheduler shows what the script just did, then settles.</summary>
    private async Task SettleAsync(Func<SchedulerSnapshot, bool> done, string what)
    {
        var scheduler = s.CallCenter.Queues!.Scheduler;
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; await Task.Delay(1))
        {
            if (done(await scheduler.GetSnapshotAsync()))
            {
                await SettleAsync();
                return;
            }
        }

        throw new TimeoutException($"{what}: not seen by the queue scheduler at {Now:HH:mm:ss.fff}");
    }

    private async Task ReadRealtimeAsync()
    {
        var (status, json, _) = await s.GetAsync(StatisticsApi.RealtimeAsync, "");
        Assert.Equal(200, status);
        Realtime.Add((Now, json));
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
        await SettleAsync();
    }

    private async Task PauseAsync(ScriptedPause pause)
    {
        var scheduler = s.CallCenter.Queues!.Scheduler;
        QueueCommand command = pause.Reason is null ? new AgentResumed(pause.Agent) : new AgentPaused(pause.Agent, pause.Reason);
        await scheduler.SendAsync(command);
        await SettleAsync();
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
                    caller.NextAt = DateTimeOffset.MaxValue;
                    await SettleAsync(snap => snap.FindCall(caller.Interaction) is null, $"{caller.Interaction} leaves the queue");
                    break;
                case Phase.Queued when caller.Script.Plan == CallerPlan.Overflows && Now < caller.Entered + MaxWait:
                    await ReadRealtimeAsync();
                    caller.NextAt = caller.Entered.AddSeconds(305);
                    break;
                case Phase.Queued when caller.Script.Plan == CallerPlan.Overflows:
                    truth.Visits.Add(new TruthVisit(caller.Script.Queue, caller.Entered, "Overflowed", caller.Entered + MaxWait, null, 0, 0));
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
                await SettleAsync(snap => snap.FindAgent(a.Agent)?.State == AgentState.OnCall, $"{a.Agent} on call");
            }
            else if (a.Phase == Phase.Talking)
            {
                await a.Ring.ByeAsync();
                truth.Visits.Add(new TruthVisit(a.Caller.Script.Queue, a.Caller.Entered, "Answered", a.Answered, a.Agent,
                    (Now - a.Answered).TotalSeconds, Wrap.TotalSeconds));
                truth.Agent(a.Agent, Now, "WrapUp");
                truth.Agent(a.Agent, Now + Wrap, "Available");
                _wrapUpEnds.Add(Now + Wrap);
                a.Phase = Phase.Done;
                a.Caller.Phase = Phase.Done;
                a.NextAt = DateTimeOffset.MaxValue;
                await SettleAsync(snap => snap.FindAgent(a.Agent)?.State == AgentState.WrapUp, $"{a.Agent} in wrap-up");
            }
        }
    }
}

internal enum Phase
{
    Ivr,
    Queued,
    Ringing,
    Talking,
    Done,
}

internal sealed class Caller(ScriptedCall script, UacCall uac, RtpTestPeer media, string interaction)
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

internal sealed class AgentCall(string agent, SipTestPeer phone, UasCall ring, Caller caller, RtpTestPeer media)
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
