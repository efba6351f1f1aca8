using Microsoft.Extensions.Logging;
using Telephony.Pbx.Media;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transactions;

namespace Telephony.Pbx.Calls;

/// <summary>
/// Blind transfer by the agent bridged to an <see cref="ApplicationCall"/>'s caller: REFER on the agent's leg (RFC 3515,
/// call flow of RFC 5589 §6), or the same steps asked for without SIP (<see cref="TransferAsync"/>, the agent desktop).
/// The caller is detached from the agent and handed to the <see cref="IAgentTransfers"/> (the queues: a queue by name,
/// or an extension); for a REFER the implicit subscription's NOTIFYs report progress; on success the agent is released
/// after a grace time, on failure the caller goes back to the agent. Runs on the call's executor.
/// </summary>
internal sealed class AgentReferTransfer(ApplicationCall call, IAgentTransfers transfers, CallerAudio audio)
{
    private static readonly TimeSpan TransferorByeGrace = TimeSpan.FromSeconds(5);
    private bool _transferring;

    private CallContext Context => call.Context;
    private ILogger Logger => call.CallLogger;

    /// <summary>False when no transfer target exists: the call answers REFER 405.</summary>
    public bool Accepts => transfers.AcceptsTransfers;

    public async ValueTask OnReferAsync(CallLeg leg, ServerTransaction tx)
    {
        var request = tx.Request;
        var agent = call.BridgedAgent;
        if (_transferring && leg is OutboundLeg)
        {
            // Checked first: the transferring agent is unbridged while its transfer runs.
            await tx.SendResponseAsync(Context.Stack.CreateResponse(request, 491));
            return;
        }
        if (agent is null || agent.Winner != leg || leg.Dialog is null || call.IsEnded)
        {
            await tx.SendResponseAsync(Context.Stack.CreateResponse(request, 403, "Only the connected agent can transfer"));
            return;
        }
        if (!ReferTransfer.TryParseTarget(request.Headers.GetAll(HeaderName.ReferTo), out var target))
        {
            await tx.SendResponseAsync(Context.Stack.CreateResponse(request, 400, "Bad Refer-To"));
            return;
        }
        var accepted = Context.Stack.CreateResponse(request, 202);
        accepted.Headers.Add(HeaderName.Contact, Context.Stack.ContactFor(tx.Remote));
        await tx.SendResponseAsync(accepted);
        SendNotify(leg, 100);
        Start(agent, target, "REFER", status => SendNotify(leg, status));
    }

    /// <summary>
    /// The same blind transfer without a REFER (no NOTIFYs): posted on the call's executor. Completes with 2xx once the
    /// caller was handed to <paramref name="target"/> (the agent is released after the grace time), 403 when no agent
    /// is connected to the caller, 491 while another transfer is in progress, 405 when the server takes no transfers,
    /// otherwise the failure status of the transfer (the caller is back with the agent, or the call ended).
    /// </summary>
    public Task<int> TransferAsync(string target)
    {
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (call.IsEnded)
        {
            done.SetResult(403);
            return done.Task;
        }
        call.Executor.Post(() =>
        {
            var agent = call.BridgedAgent;
            if (agent is not { Winner.IsTerminated: false, Media: not null } || call.IsEnded)
            {
                done.TrySetResult(403);
            }
            else if (_transferring)
            {
                done.TrySetResult(491);
            }
            else if (!transfers.AcceptsTransfers)
            {
                done.TrySetResult(405);
            }
            else
            {
                Start(agent, target, "desktop", status => done.TrySetResult(status));
            }
        });
        // The call may end (and its executor stop) before the posted work runs.
        _ = call.Ended.ContinueWith(_ => done.TrySetResult(487), TaskScheduler.Default);
        return done.Task;
    }

    /// <summary>Detaches the caller from <paramref name="agent"/> and hands it to the transfer target; on the executor.
    /// <paramref name="report"/> gets the final status once the outcome is applied.</summary>
    private void Start(AgentLeg agent, string target, string how, Action<int> report)
    {
        _transferring = true;

        // Detach: the caller hears silence (then hold audio or the new party); the agent's leg stays up until released.
        call.Unbridge();
        audio.HandOver(SilenceSource.Instance);
        agent.Media?.SetSource(SilenceSource.Instance);
        Logger.LogInformation("Call {CallId}: agent {Agent} transfers {Caller} to {Target} ({How}, interaction {Interaction})",
            call.Id, agent.Agent, call.Caller, target, how, call.InteractionId);

        _ = Task.Run(async () =>
        {
            int status;
            try
            {
                status = await transfers.BlindTransferAsync(call, agent, target).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Logger.LogError(ex, "Call {CallId}: transfer to {Target} failed", call.Id, target);
                status = 500;
            }
            call.Executor.Post(() => FinishAsync(agent, target, status, report));
        });
    }

    private async ValueTask FinishAsync(AgentLeg agent, string target, int status, Action<int> report)
    {
        _transferring = false;
        try
        {
            await ApplyAsync(agent, target, status);
        }
        finally
        {
            report(status);
        }
    }

    private async ValueTask ApplyAsync(AgentLeg agent, string target, int status)
    {
        if (status is >= 200 and < 300)
        {
            Logger.LogInformation("Call {CallId}: transfer of {Caller} to {Target} done; agent {Agent} released", call.Id,
                call.Caller, target, agent.Agent);
            _ = Task.Delay(TransferorByeGrace, Context.Time).ContinueWith(
                _ => call.Executor.Post(() => call.Dialer.Finish(agent, "released after transfer")), TaskScheduler.Default);
            return;
        }
        Logger.LogInformation("Call {CallId}: transfer of {Caller} to {Target} failed ({Status})", call.Id, call.Caller, target, status);
        if (call.IsEnded)
        {
            return;
        }
        if (agent.IsFinished || agent.Winner is null || agent.Winner.IsTerminated || agent.Media is null || call.BridgedAgent is not null)
        {
            await call.EndAllAsync("transfer failed");
            return;
        }
        // Back to the transferring agent (RFC 5589 §6: the transferor still has the call after a failed transfer).
        call.Rebridge(agent);
    }

    /// <summary>The bridged agent left because a supervisor took the caller over (mode take over).</summary>
    public void OnTakenOver(string agent, string supervisor) => transfers.OnAgentTakenOver(call, agent, supervisor);

    /// <summary>NOTIFY of the implicit refer subscription (RFC 3515 §2.4.4) with the sipfrag of <paramref name="status"/>.</summary>
    private void SendNotify(CallLeg leg, int status)
    {
        if (leg.Dialog is null || leg.IsTerminated)
        {
            return;
        }
        var notify = leg.Dialog.CreateRequest(SipMethod.Notify);
        notify.Headers.Add(HeaderName.Event, "refer");
        notify.Headers.Add("Subscription-State", ReferTransfer.SubscriptionState(status));
        notify.Headers.Add(HeaderName.Contact, Context.Stack.ContactFor(leg.Dialog.Destination));
        notify.Headers.Add(HeaderName.ContentType, ReferTransfer.SipFragContentType);
        notify.Body = ReferTransfer.SipFrag(status);
        _ = Context.Stack.Send(notify, leg.Dialog.Destination).FinalResponse;
    }
}
