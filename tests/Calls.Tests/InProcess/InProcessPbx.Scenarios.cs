using System.Globalization;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Contracts;
using Telephony.Pbx.Queues;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Calls.Tests.InProcess;

/// <summary>Steps that many call-center tests share: a trunk caller through the IVR into a queue, an agent answering,
/// waiting for the call layer to settle.</summary>
internal sealed partial class InProcessPbx
{
    /// <summary>The sample support line (an IVR tree answers it; the trunk DID points at 1001 otherwise).</summary>
    public const string SupportLine = "08001234567";

    /// <summary>Tuesday 2026-11-24 10:00 in Berlin: the support line's office hours.</summary>
    public static readonly DateTimeOffset OfficeHours = new(2026, 11, 24, 9, 0, 0, TimeSpan.Zero);

    private static readonly string TempConfigRoot = Path.Combine(Path.GetTempPath(), "telephony-calls-tests");
    private string? _ownedConfig;

    /// <summary>
    /// A copy of the sample config/ with <paramref name="editIvr"/> applied to ivr.yaml (or <paramref name="ivr"/> as the
    /// whole file) and <paramref name="editQueues"/> to queues.yaml; deleted when the server it is given to is disposed.
    /// </summary>
    public static string ConfigCopy(Func<string, string>? editIvr = null, Func<string, string>? editQueues = null, string? ivr = null)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "config");
        var dir = Path.Combine(TempConfigRoot, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        }
        var ivrPath = Path.Combine(dir, "ivr.yaml");
        File.WriteAllText(ivrPath, ivr ?? (editIvr ?? (s => s))(File.ReadAllText(ivrPath)));
        var queuesPath = Path.Combine(dir, "queues.yaml");
        File.WriteAllText(queuesPath, (editQueues ?? (s => s))(File.ReadAllText(queuesPath)));
        return dir;
    }

    /// <summary>
    /// A trunk call from <paramref name="from"/> to <paramref name="number"/> (the support line by default), answered by
    /// the server, with a test phone's media streaming to it.
    /// </summary>
    public async Task<Caller> TrunkCallerAsync(string from = "+15550000002", string number = SupportLine)
    {
        var trunk = Trunk();
        var media = RtpPeer();
        var call = await trunk.CallAsync(number, media.Offer(), fromUser: from);
        var ok = await call.FinalAsync();
        Assert.Equal(200, ok.StatusCode);
        media.ConnectTo(ok.Body);
        return new Caller(this, trunk, call, media);
    }

    /// <summary>A call from extension <paramref name="extension"/> (digest) to <paramref name="number"/>, answered by the server.</summary>
    public async Task<Caller> ExtensionCallerAsync(string extension, string number)
    {
        var phone = Phone(extension);
        var media = RtpPeer();
        var call = await phone.CallAsync(number, media.Offer());
        var ok = await call.FinalAsync();
        Assert.Equal(200, ok.StatusCode);
        media.ConnectTo(ok.Body);
        return new Caller(this, phone, call, media);
    }

    /// <summary>A trunk caller who presses <paramref name="digit"/> in the greeting and is waiting in a queue.</summary>
    public async Task<Caller> QueuedCallerAsync(string from = "+15550000002", char digit = '2')
    {
        var caller = await TrunkCallerAsync(from);
        await TickAsync(TimeSpan.FromMilliseconds(500));
        caller.Media.Digit(digit);
        await TickUntilAsync(() => caller.QueueEvents.Contains(QueueEventKind.Entered), TimeSpan.FromSeconds(20),
            $"caller {from} enters a queue");
        return caller;
    }

    /// <summary>Ticks until <paramref name="agent"/>'s phone rings, then takes the INVITE.</summary>
    public async Task<UasCall> RingingAsync(SipTestPeer agent, TimeSpan? limit = null)
    {
        await TickUntilAsync(() => agent.Has(m => m is SipRequest { Method: SipMethod.Invite } r && r.To?.Tag is null),
            limit ?? TimeSpan.FromSeconds(10), $"{agent.User}'s phone rings");
        return await agent.ExpectCallAsync();
    }

    /// <summary><paramref name="agent"/> answers the next call it gets with its own media; waits for the ACK.</summary>
    public async Task<Answered> AnswerAsync(SipTestPeer agent, TimeSpan? limit = null)
    {
        var ring = await RingingAsync(agent, limit);
        return await AnswerAsync(agent, ring);
    }

    /// <summary>
    /// <paramref name="agent"/> answers <paramref name="ring"/> with its own media; waits for the ACK and, for a call of
    /// an application (the INVITE carries X-Telephony-Interaction), until the caller is bridged to it.
    /// </summary>
    public async Task<Answered> AnswerAsync(SipTestPeer agent, UasCall ring, bool bridged = true)
    {
        var media = RtpPeer();
        ring.Ring();
        ring.Answer(media.Answer());
        media.ConnectTo(ring.Invite.Body);
        await agent.ExpectRequestAsync(SipMethod.Ack, ring.Invite.CallId);
        if (bridged && ring.Invite.Headers.Get("X-Telephony-Interaction") is { } interaction)
        {
            var call = Observer.Started.OfType<ApplicationCall>().Single(c => c.InteractionId == interaction);
            await WaitUntilAsync(() => call.BridgedAgent?.Winner?.CallId == ring.Invite.CallId,
                $"caller of {interaction} bridged to {agent.User}");
        }
        return new Answered(agent, ring, media);
    }

    /// <summary>The application call the server created for <paramref name="callId"/>.</summary>
    public async Task<ApplicationCall> ApplicationCallAsync(string callId) => (ApplicationCall)await CallAsync(callId);

    /// <summary>The queue scheduler's view of <paramref name="agent"/>.</summary>
    public async Task<AgentSnapshot?> AgentAsync(string agent) =>
        (await CallCenter!.Queues!.Scheduler.GetSnapshotAsync()).FindAgent(agent);

    /// <summary>Waits (real time, at most 5 s) until the scheduler has <paramref name="agent"/> in <paramref name="state"/>.</summary>
    public async Task AgentStateAsync(string agent, AgentState state)
    {
        AgentSnapshot? last = null;
        await WaitUntilAsync(async () => (last = await AgentAsync(agent))?.State == state,
            () => $"agent {agent} {state} (is {last?.State.ToString() ?? "unknown"})");
    }

    /// <summary>Waits (real time, at most 5 s) until <paramref name="done"/> holds, without moving the clock.</summary>
    public static async Task WaitUntilAsync(Func<bool> done, string what) =>
        await WaitUntilAsync(() => Task.FromResult(done()), () => what);

    private static async Task WaitUntilAsync(Func<Task<bool>> done, Func<string> what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("not within 5 s: " + what());
            }
            await Task.Delay(5);
        }
    }

    /// <summary>Every call has ended and left the registry (waits up to 5 s of real time).</summary>
    public async Task NoCallsLeftAsync() =>
        await WaitUntilAsync(() => Server.Calls.ActiveCalls == 0, string.Create(CultureInfo.InvariantCulture,
            $"no call left (still {Server.Calls.ActiveCalls}: {string.Join(", ", Server.Calls.Calls.Select(c => c.Kind + " " + c.Id))})"));

    /// <summary>Queue events of <paramref name="callId"/> so far.</summary>
    public List<QueueCallEvent> QueueEventsOf(string callId) =>
        Observer.QueueEvents.Where(e => e.Call.Id == callId).Select(e => e.Event).ToList();
}

/// <summary>A trunk caller answered by the server: its SIP call and its media.</summary>
internal sealed record Caller(InProcessPbx Pbx, SipTestPeer Peer, UacCall Call, RtpTestPeer Media)
{
    public string CallId => Call.Invite.CallId!;

    public List<QueueEventKind> QueueEvents => Pbx.QueueEventsOf(CallId).Select(e => e.Kind).ToList();

    public Task<CallEndInfo> EndedAsync() => Pbx.Observer.EndedAsync(CallId);
}

/// <summary>A call a phone answered: the phone, the server's INVITE and the phone's media.</summary>
internal sealed record Answered(SipTestPeer Phone, UasCall Call, RtpTestPeer Media)
{
    public string CallId => Call.Invite.CallId!;

    public string? Header(string name) => Call.Invite.Headers.Get(name);
}
