using Microsoft.Extensions.Logging;
using Telephony.Pbx.Media;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transactions;

namespace Telephony.Pbx.Calls;

/// <summary>
/// Blind transfer by the agent bridged to an <see cref="ApplicationCall"/>'s caller: REFER on the agent's leg (RFC 3515,
/// call flow of RFC 5589 §6). The caller is detached from the agent and handed to the <see cref="IAgentTransfers"/> (the
/// queues: a queue by name, or an extension); the implicit subscription's NOTIFYs report progress; on success the agent
/// is released, on failure the caller goes back to the agent. Runs on the call's executor.
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
        _transferring = true;

        // Detach: the caller hears silence (then hold audio or the new party); the agent's leg stays up until it hangs up.
        call.Unbridge();
        audio.HandOver(SilenceSource.Instance);
        agent.Media?.SetSource(SilenceSource.Instance);
        Logger.LogInformation("Call {CallId}: agent {Agent} transfers {Caller} to {Target} (REFER, interaction {Interaction})",
            call.Id, agent.Agent, call.Caller, target, call.InteractionId);

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
            call.Executor.Post(() => FinishAsync(leg, agent, target, status));
        });
    }

    private async ValueTask FinishAsync(CallLeg leg, AgentLeg agent, string target, int status)
    {
        _transferring = false;
        SendNotify(leg, status);
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
        if (agent.IsFinished || leg.IsTerminated || agent.Media is null || call.BridgedAgent is not null)
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
