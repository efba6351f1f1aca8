using Microsoft.Extensions.Logging;
using Telephony.Pbx.Media;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Transactions;

namespace Telephony.Pbx.Calls;

// Blind transfer by the bridged agent: REFER on the agent's leg (RFC 3515, call flow of RFC 5589 §6), handed to the
// IAgentTransfers (the queues); without them REFER is refused with 405.
public sealed partial class ApplicationCall
{
    private static readonly TimeSpan TransferorByeGrace = TimeSpan.FromSeconds(5);
    private bool _transferring;

    protected override async ValueTask OnReferAsync(CallLeg leg, ServerTransaction tx)
    {
        var request = tx.Request;
        var agent = _bridged;
        if (!_transfers.AcceptsTransfers)
        {
            await base.OnReferAsync(leg, tx);
            return;
        }
        if (agent is null || agent.Winner != leg || leg.Dialog is null || IsEnded)
        {
            await tx.SendResponseAsync(Context.Stack.CreateResponse(request, 403, "Only the connected agent can transfer"));
            return;
        }
        if (_transferring)
        {
            await tx.SendResponseAsync(Context.Stack.CreateResponse(request, 491));
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
        SendReferNotify(leg, 100);
        _transferring = true;

        // Detach: the caller hears silence (then hold audio or the new party); the agent's leg stays up until it hangs up.
        StopPlay(resumeBackground: false);
        _background = SilenceSource.Instance;
        _bridged = null;
        agent.IsBridged = false;
        _caller.Media?.SetSource(SilenceSource.Instance);
        agent.Media?.SetSource(SilenceSource.Instance);
        Logger.LogInformation("Call {CallId}: agent {Agent} transfers {Caller} to {Target} (REFER, interaction {Interaction})",
            Id, agent.Agent, Caller, target, InteractionId);

        _ = Task.Run(async () =>
        {
            int status;
            try
            {
                status = await _transfers.BlindTransferAsync(this, agent, target).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                Logger.LogError(ex, "Call {CallId}: transfer to {Target} failed", Id, target);
                status = 500;
            }
            Executor.Post(() => FinishTransferAsync(leg, agent, target, status));
        });
    }

    private async ValueTask FinishTransferAsync(CallLeg leg, AgentLeg agent, string target, int status)
    {
        _transferring = false;
        SendReferNotify(leg, status);
        if (status is >= 200 and < 300)
        {
            Logger.LogInformation("Call {CallId}: transfer of {Caller} to {Target} done; agent {Agent} released", Id, Caller, target, agent.Agent);
            _ = Task.Delay(TransferorByeGrace).ContinueWith(_ => Executor.Post(() => FinishLeg(agent, "released after transfer")),
                TaskScheduler.Default);
            return;
        }
        Logger.LogInformation("Call {CallId}: transfer of {Caller} to {Target} failed ({Status})", Id, Caller, target, status);
        if (IsEnded)
        {
            return;
        }
        if (agent.IsFinished || leg.IsTerminated || agent.Media is null || _bridged is not null)
        {
            await EndAllAsync("transfer failed");
            return;
        }
        // Back to the transferring agent (RFC 5589 §6: the transferor still has the call after a failed transfer).
        _bridged = agent;
        agent.IsBridged = true;
        _caller.Media!.SetSource(new BridgeSource(agent.Media));
        agent.Media.SetSource(new BridgeSource(_caller.Media));
    }

    /// <summary>NOTIFY of the implicit refer subscription (RFC 3515 §2.4.4) with the sipfrag of <paramref name="status"/>.</summary>
    private void SendReferNotify(CallLeg leg, int status)
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
