using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Registrar;
using Telephony.Pbx.Sip.Transactions;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Calls;

/// <summary>
/// Entry point of the call layer: admits, authenticates and routes new INVITEs (<see cref="CallRouter"/>), creates the
/// call kind the route names and starts it on its executor, and finds the leg that an in-dialog request, ACK or stray
/// response belongs to. Call kinds get what they need through <see cref="CallContext"/> and their own constructors.
/// </summary>
public sealed class CallManager : ICallRegistry, ICallOriginator
{
    private readonly ConcurrentDictionary<string, Call> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string CallId, string Tag), CallLeg> _legs = new();
    private readonly PromptLibrary _prompts;
    private readonly PbxDirectory _directory;
    private readonly SipAuthenticator _auth;
    private readonly ICallApplications _applications;
    private readonly IAgentTransfers _transfers;
    private readonly ILogger _logger;

    public CallManager(SipStack stack, MediaEngine media, MediaNegotiator negotiator, PromptLibrary prompts,
        PbxDirectory directory, LocationTable locations, SipAuthenticator auth, PbxOptions options, ICallObserver observer,
        ICallApplications applications, IAgentTransfers transfers, TimeProvider time, ILoggerFactory loggerFactory)
    {
        _prompts = prompts;
        _directory = directory;
        _auth = auth;
        _applications = applications;
        _transfers = transfers;
        Context = new CallContext(stack, media, negotiator, locations, options, observer, this, time, loggerFactory,
            ContactResolver.For(locations, options, time));
        Router = new CallRouter(directory, applications);
        _logger = loggerFactory.CreateLogger<CallManager>();
        applications.Attach(this);
        locations.BindingAdded += (_, e) => ForEachCall(call => call.OnContactRegisteredAsync(e.Binding));
    }

    /// <summary>
    /// The SIP transport to <paramref name="peer"/> closed (a browser's WebSocket, RFC 7118 §5): every call is told, so a
    /// call whose agent leg went over it parks its customer for the re-attach grace instead of losing it.
    /// </summary>
    public void OnTransportLost(SipEndPoint peer) => ForEachCall(call => call.OnTransportLostAsync(peer));

    private void ForEachCall(Func<Call, ValueTask> work)
    {
        foreach (var call in _calls.Values)
        {
            if (!call.IsEnded)
            {
                call.Executor.Post(() => work(call));
            }
        }
    }

    /// <summary>What the calls share (signalling, media, contacts, configuration, observer).</summary>
    public CallContext Context { get; }
    public CallRouter Router { get; }
    public int ActiveCalls => _calls.Count;

    /// <summary>New calls answered 503 because <see cref="SipOptions.MaxCalls"/> calls were up (since start).</summary>
    public long RefusedOverCapacity => Interlocked.Read(ref _refusedOverCapacity);
    private long _refusedOverCapacity;
    private long _lastCapacityWarningTicks;
    public long TotalCalls => Interlocked.Read(ref _totalCalls);
    private long _totalCalls;
    private volatile bool _stopping;
    private volatile bool _draining;

    /// <summary>
    /// True while draining (<see cref="Drain"/>): new INVITEs get 503 + Retry-After (a proxy tries the next node) and
    /// out-of-dialog OPTIONS 503 (a proxy's health probe takes the node out of rotation); calls up carry on.
    /// </summary>
    public bool IsDraining => _draining;

    /// <summary>Stops taking new calls (for an upgrade or a restart behind a proxy); true when it was not draining.</summary>
    public bool Drain()
    {
        var changed = !_draining;
        _draining = true;
        if (changed)
        {
            _logger.LogWarning("Draining: new calls get 503 and OPTIONS 503 until resumed ({Active} call(s) up)", _calls.Count);
        }
        return changed;
    }

    /// <summary>Takes new calls again after <see cref="Drain"/>; true when it was draining.</summary>
    public bool Resume()
    {
        var changed = _draining;
        _draining = false;
        if (changed)
        {
            _logger.LogInformation("Resumed: taking new calls");
        }
        return changed;
    }

    private SipStack Stack => Context.Stack;

    /// <summary>A new INVITE (no To tag): admitted, its caller identified, routed, then the call is created and started.</summary>
    public async ValueTask OnInviteAsync(ServerTransaction tx)
    {
        var request = tx.Request;
        if (await RefuseAdmissionAsync(tx))
        {
            return;
        }
        var trunk = _directory.TrunkFor(tx.Remote.EndPoint.Address);
        if (await IdentifyCallerAsync(tx, trunk) is not { } identified)
        {
            return;
        }
        var caller = identified.Caller;
        var dialed = request.RequestUri.User;
        var route = Router.Route(dialed, trunk, caller);
        _logger.LogInformation("INVITE {CallId} from {Caller} ({Source}) to {Dialed}: {Route}",
            request.CallId, caller, tx.Remote, dialed, route.Kind);

        if (request.Body.Length == 0)
        {
            await tx.SendResponseAsync(Stack.CreateResponse(request, 488, "An SDP offer is required"));
            return;
        }
        if (await CreateCallAsync(tx, route, caller, trunk is not null) is not { } call)
        {
            return;
        }
        Register(call);
        call.Executor.Post(async () =>
        {
            if (call is TestCall test)
            {
                tx.Cancelled += _ => call.Executor.Post(() => call.OnCancelAsync(test.Caller));
            }
            await call.StartAsync();
        });
    }

    /// <summary>503 while shutting down, draining or over <see cref="SipOptions.MaxCalls"/>, 482 for a Call-ID already in a call.</summary>
    private async ValueTask<bool> RefuseAdmissionAsync(ServerTransaction tx)
    {
        var request = tx.Request;
        if (_stopping)
        {
            var unavailable = Stack.CreateResponse(request, 503, "Shutting down");
            unavailable.Headers.Add(HeaderName.RetryAfter, "30");
            await tx.SendResponseAsync(unavailable);
            return true;
        }
        if (_draining)
        {
            var draining = Stack.CreateResponse(request, 503, "Draining");
            draining.Headers.Add(HeaderName.RetryAfter, "30");
            await tx.SendResponseAsync(draining);
            return true;
        }
        if (_calls.ContainsKey(request.CallId!))
        {
            await tx.SendResponseAsync(Stack.CreateResponse(request, 482, "Loop Detected"));
            return true;
        }
        if (Context.Options.Sip.MaxCalls > 0 && _calls.Count >= Context.Options.Sip.MaxCalls)
        {
            await RefuseOverCapacityAsync(tx);
            return true;
        }
        return false;
    }

    /// <summary>503 + Retry-After for a call over <see cref="SipOptions.MaxCalls"/>; warns at most every 5 s.</summary>
    private async ValueTask RefuseOverCapacityAsync(ServerTransaction tx)
    {
        var refused = Interlocked.Increment(ref _refusedOverCapacity);
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastCapacityWarningTicks);
        if (now - last >= 5000 && Interlocked.CompareExchange(ref _lastCapacityWarningTicks, now, last) == last)
        {
            _logger.LogWarning("At capacity: {Active} calls (sip.maxCalls {Max}); new calls get 503 ({Refused} refused since start)",
                _calls.Count, Context.Options.Sip.MaxCalls, refused);
        }
        var busy = Stack.CreateResponse(tx.Request, 503, "Too many calls");
        busy.Headers.Add(HeaderName.RetryAfter, "10");
        await tx.SendResponseAsync(busy);
    }

    /// <summary>Trunk calls are trusted by source address (the From user is the caller); everyone else authenticates
    /// with digest (RFC 3261 §22.3: 407, or 403 for wrong credentials). Null when the INVITE was answered.</summary>
    private async ValueTask<IdentifiedCaller?> IdentifyCallerAsync(ServerTransaction tx, TrunkOptions? trunk)
    {
        if (trunk is not null)
        {
            return new IdentifiedCaller(tx.Request.From?.Uri.User);
        }
        if (!_auth.TryAuthenticate(Stack, tx, out var user, out var reject))
        {
            await tx.SendResponseAsync(reject!);
            return null;
        }
        return new IdentifiedCaller(user);
    }

    private sealed record IdentifiedCaller(string? Caller);

    /// <summary>The call kind the route names, or null when the INVITE was answered with an error.</summary>
    private async ValueTask<Call?> CreateCallAsync(ServerTransaction tx, CallRoute route, string? caller, bool fromTrunk)
    {
        var request = tx.Request;
        switch (route.Kind)
        {
            case RouteKind.Echo:
                return new TestCall(Context, tx, TestCallMode.Echo, null);
            case RouteKind.Prompt:
            case RouteKind.PromptThenEcho:
                var clip = _prompts.TryGet(route.PromptFile!, out var error);
                if (clip is null)
                {
                    _logger.LogError("Prompt for {Dialed} unavailable: {Error}", request.RequestUri.User, error);
                    await tx.SendResponseAsync(Stack.CreateResponse(request, 500, "Prompt unavailable"));
                    return null;
                }
                return new TestCall(Context, tx, route.Kind == RouteKind.Prompt ? TestCallMode.Prompt : TestCallMode.PromptThenEcho, clip);
            case RouteKind.Extension:
                return new BridgedCall(Context, tx, route.Target!, CallerIdentity(request, caller, fromTrunk));
            case RouteKind.Application:
                return new ApplicationCall(Context, tx, route.Target!, caller ?? "anonymous", fromTrunk,
                    CallerIdentity(request, caller, fromTrunk), _applications, _transfers);
            case RouteKind.Supervise:
                return await CreateSupervisorCallAsync(tx, caller);
            default:
                await tx.SendResponseAsync(Stack.CreateResponse(request, 404, "No such number"));
                return null;
        }
    }

    /// <summary>*81/*82/*83 + extension: only supervisors (403), a known extension (404) in a call (480).</summary>
    private async ValueTask<Call?> CreateSupervisorCallAsync(ServerTransaction tx, string? caller)
    {
        var request = tx.Request;
        SupervisionCodes.TryParse(request.RequestUri.User, out var mode, out var agent);
        if (!IsSupervisor(caller))
        {
            _logger.LogInformation("INVITE {CallId}: {Caller} may not supervise", request.CallId, caller);
            await tx.SendResponseAsync(Stack.CreateResponse(request, 403, "Not a supervisor"));
            return null;
        }
        if (_directory.FindExtension(agent) is null)
        {
            await tx.SendResponseAsync(Stack.CreateResponse(request, 404, "No such extension"));
            return null;
        }
        if (FindCallOfAgent(agent) is not { } supervised)
        {
            await tx.SendResponseAsync(Stack.CreateResponse(request, 480, "Agent not in a call"));
            return null;
        }
        return new SupervisorCall(Context, tx, caller!, supervised, mode);
    }

    /// <summary>
    /// Registers a call the server originates (no INVITE received, e.g. <see cref="SupervisorCall"/> from the HTTP
    /// API) and starts it on its executor. Refused (false) while shutting down.
    /// </summary>
    public bool Originate(Call call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (_stopping)
        {
            return false;
        }
        Register(call);
        call.Executor.Post(call.StartAsync);
        return true;
    }

    /// <summary>An in-dialog request other than ACK (BYE, re-INVITE, INFO, ...).</summary>
    public async ValueTask OnInDialogRequestAsync(ServerTransaction tx)
    {
        var request = tx.Request;
        if (FindLeg(request.CallId, request.To?.Tag) is { } leg && !leg.Call.IsEnded)
        {
            leg.Call.Executor.Post(() => leg.Call.OnRequestAsync(leg, tx));
            return;
        }
        await tx.SendResponseAsync(Stack.CreateResponse(request, 481, "Call/Transaction Does Not Exist"));
    }

    public ValueTask OnAckAsync(SipRequest ack, SipEndPoint remote)
    {
        if (FindLeg(ack.CallId, ack.To?.Tag) is { } leg)
        {
            leg.Call.Executor.Post(() => leg.Call.OnAckAsync(leg, ack));
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>2xx retransmissions and late fork answers that no client transaction claims.</summary>
    public ValueTask OnStrayResponseAsync(SipResponse response, SipEndPoint remote)
    {
        if (response.CSeq.Method == SipMethod.Invite && response.StatusCode is >= 200 and < 300 &&
            FindLeg(response.CallId, response.From?.Tag) is OutboundLeg leg)
        {
            leg.Call.Executor.Post(() => leg.Call.OnResponseAsync(leg, response));
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Ends every call with BYE (or a final response while ringing). Used on shutdown.</summary>
    public async Task HangupAllAsync(TimeSpan grace)
    {
        _stopping = true;
        var calls = _calls.Values.ToList();
        if (calls.Count == 0)
        {
            return;
        }
        _logger.LogInformation("Shutting down: ending {Count} call(s)", calls.Count);
        foreach (var call in calls)
        {
            call.Executor.Post(() => call.HangupAsync("server shutting down", 503));
        }
        var deadline = DateTime.UtcNow + grace;
        while (_calls.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        // Give the BYEs a moment on the wire (UDP retransmissions are best effort at this point).
        await Task.Delay(TimeSpan.FromMilliseconds(300));
    }

    /// <summary>True when <paramref name="extension"/> has the supervisor role.</summary>
    public bool IsSupervisor(string? extension) =>
        string.Equals(_directory.FindExtension(extension)?.Role, SupervisionCodes.SupervisorRole,
            StringComparison.OrdinalIgnoreCase);

    /// <summary>The answered call in which <paramref name="agent"/> is the bridged agent/callee, or null.</summary>
    public Call? FindCallOfAgent(string agent) =>
        _calls.Values.FirstOrDefault(c => c is not SupervisorCall && !c.IsEnded &&
            c.GetSupervisionTarget()?.Agent == agent);

    public IReadOnlyCollection<Call> Calls => (IReadOnlyCollection<Call>)_calls.Values;

    public void RegisterLeg(CallLeg leg) => _legs[(leg.CallId, leg.LocalTag)] = leg;

    private void Register(Call call)
    {
        _calls[call.Id] = call;
        Interlocked.Increment(ref _totalCalls);
        foreach (var leg in call.Legs)
        {
            RegisterLeg(leg);
        }
        NotifyStarted(call);
    }

    /// <summary>
    /// Forgets an ended call and its legs at once. Nothing found through a leg after its call ended would be acted on
    /// (in-dialog requests get 481, and ACKs and stray 2xx are posted to an executor that takes no more work), while a
    /// leg kept findable keeps its call, media session and recording alive: for 32 s that was every call of the last
    /// 32 s, 32,000 calls at 1,000 setups/s. Retransmitted BYEs are absorbed by their lingering server transaction.
    /// </summary>
    public void Unregister(Call call)
    {
        _calls.TryRemove(call.Id, out _);
        foreach (var leg in call.Legs)
        {
            _legs.TryRemove(new KeyValuePair<(string, string), CallLeg>((leg.CallId, leg.LocalTag), leg));
        }
    }

    private CallLeg? FindLeg(string? callId, string? tag) =>
        callId is not null && tag is not null && _legs.TryGetValue((callId, tag), out var leg) ? leg : null;

    private NameAddress CallerIdentity(SipRequest request, string? caller, bool fromTrunk)
    {
        const string host = "invalid"; // replaced per fork by the address the callee sees
        var number = caller ?? "anonymous";
        var name = fromTrunk ? request.From?.DisplayName : _directory.FindExtension(caller)?.Name ?? request.From?.DisplayName;
        var identity = NameAddress.Parse($"<sip:{number}@{host}>");
        identity.DisplayName = name;
        return identity;
    }

    private void NotifyStarted(Call call)
    {
        if (call.Legs.OfType<InboundLeg>().FirstOrDefault() is { } inbound)
        {
            call.CallerNumber ??= inbound.Invite.From?.Uri.User;
            call.DialedNumber ??= inbound.Invite.RequestUri.User;
        }
        try
        {
            Context.Observer.OnCallStarted(call);
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Call {CallId}: call observer failed", call.Id);
        }
    }
}
