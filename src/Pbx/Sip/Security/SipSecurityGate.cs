using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transactions;

namespace Telephony.Pbx.Sip.Security;

/// <summary>
/// The first check on every new request (RFC 3261 §26.3.2.4): a banned source's request outside a dialog is dropped
/// (its transaction ends without a word, so retransmissions are dropped too) or answered 403, as configured, before
/// any other processing. In-dialog requests (not REGISTER) pass, so calls already up are not cut. (The digest
/// authenticator takes each request's source address from its transaction; the gate keeps no table per request: a
/// weak table entry per request was a dependent GC handle each, which every collection had to walk.)
/// </summary>
public sealed class SipSecurityGate
{
    private readonly SipStack _stack;
    private readonly ILogger _logger;
    private long _lastRefusalLogTicks;

    /// <summary>Creates the gate for <paramref name="bans"/>; 403s are built with <paramref name="stack"/>.</summary>
    public SipSecurityGate(SipBanList bans, SipStack stack, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(bans);
        ArgumentNullException.ThrowIfNull(stack);
        Bans = bans;
        _stack = stack;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The ban list consulted.</summary>
    public SipBanList Bans { get; }

    /// <summary>
    /// Call first for every new request. True when the request was refused (answered 403, or dropped and its
    /// transaction ended) because its source is banned; the caller must then do nothing else with it.
    /// </summary>
    public async ValueTask<bool> RefuseBannedAsync(ServerTransaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var source = SipSecuritySettings.Normalize(tx.Remote.EndPoint.Address);
        if (IsInDialog(tx.Request) || !Bans.IsBanned(source))
        {
            return false;
        }

        var action = Bans.Settings.Action;
        Bans.CountRefused(source, action);
        LogRefusal(tx, source, action);
        if (action == SipBanAction.Forbidden)
        {
            await tx.SendResponseAsync(_stack.CreateResponse(tx.Request, 403)).ConfigureAwait(false);
        }
        else
        {
            tx.Terminate();
        }
        return true;
    }

    /// <summary>
    /// A request inside a dialog (To tag) goes to its dialog, which answers 481 when there is none and never
    /// authenticates. REGISTER is not: the registrar authenticates it whatever its To tag, so it is never exempt.
    /// </summary>
    private static bool IsInDialog(SipRequest request) => request.Method != SipMethod.Register && request.To?.Tag is not null;

    /// <summary>At most one debug line per second: a scanner sends hundreds of requests.</summary>
    private void LogRefusal(ServerTransaction tx, IPAddress source, SipBanAction action)
    {
        var now = Environment.TickCount64;
        var last = Interlocked.Read(ref _lastRefusalLogTicks);
        if (now - last >= 1000 && Interlocked.CompareExchange(ref _lastRefusalLogTicks, now, last) == last)
        {
            _logger.LogDebug("{Method} from banned {Source} {Action}", tx.Request.Method, source,
                action == SipBanAction.Drop ? "dropped" : "answered 403");
        }
    }
}
