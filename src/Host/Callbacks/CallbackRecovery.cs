using Telephony.Host.Ivr;
using Telephony.Pbx.Calls;
using Telephony.Recording.Storage;

namespace Telephony.Host.Callbacks;

/// <summary>
/// At start-up (after the PBX is up): puts every pending callback back in its queue's line at its original place. An
/// attempt the stop or crash cut (begun, never ended) may have reached the customer: that callback is closed as failed
/// (<c>callback_failed</c>) rather than risk calling the customer twice; one whose customer already answered is closed
/// as completed. The rest wait as before (a callback is never forgotten). On a cluster node only its own callbacks (the
/// others' are live on their nodes); when a node dies, a survivor adopts its pending callbacks by the same rules
/// (<see cref="AdoptAsync"/>).
/// </summary>
public sealed class CallbackRecovery(CallCenter center, CallbackLedger ledger, TimeProvider time, ILogger<CallbackRecovery> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (center.Queues?.Callbacks is null)
        {
            return;
        }
        var now = time.GetUtcNow();
        var interrupted = await ledger.Store.InterruptOpenAttemptsAsync(now, cancellationToken).ConfigureAwait(false);
        var pending = await ledger.Store.ListPendingAsync(ownOnly: true, cancellationToken).ConfigureAwait(false);
        var (restored, closed) = await ResumeAsync(pending, interrupted, "the server stopped", now, cancellationToken).ConfigureAwait(false);
        if (restored + closed > 0)
        {
            logger.LogInformation("Callbacks after start-up: {Restored} back in line at their place, {Closed} closed", restored, closed);
        }
    }

    /// <summary>
    /// Takes over the pending callbacks of the dead cluster node <paramref name="deadNode"/> (shared storage): each is put
    /// back in this node's line at its original place, or closed by the start-up rules. Returns how many were restored.
    /// </summary>
    public async Task<int> AdoptAsync(string deadNode, CancellationToken cancellationToken)
    {
        if (center.Queues?.Callbacks is null)
        {
            return 0;
        }
        var now = time.GetUtcNow();
        var (adopted, interrupted) = await ledger.Store.AdoptAsync(deadNode, now, cancellationToken).ConfigureAwait(false);
        if (adopted.Count == 0)
        {
            return 0;
        }
        var (restored, closed) = await ResumeAsync(adopted, interrupted, $"node {deadNode} died", now, cancellationToken).ConfigureAwait(false);
        logger.LogWarning("Callbacks of node {Node}, which died: {Restored} back in line here at their place, {Closed} closed",
            deadNode, restored, closed);
        return restored;
    }

    private async Task<(int Restored, int Closed)> ResumeAsync(IReadOnlyList<CallbackRecord> pending, IReadOnlyList<string> cut,
        string why, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var interrupted = new HashSet<string>(cut, StringComparer.Ordinal);
        int restored = 0, closed = 0;
        foreach (var record in pending)
        {
            var ticket = CallbackLedger.ToTicket(record);
            var attempts = await ledger.Store.ListAttemptsAsync(record.Id, cancellationToken).ConfigureAwait(false);
            if (attempts.FirstOrDefault(a => a.Result == nameof(CallbackAttemptResult.Answered)) is { } answered)
            {
                await ledger.CloseAsync(ticket, CallbackStatus.Completed, $"answered on attempt {answered.Attempt} ({why} during the call)",
                    now, answered.CallId, answered.Agent, cancellationToken).ConfigureAwait(false);
                closed++;
                continue;
            }
            if (interrupted.Contains(record.Id))
            {
                var attempt = attempts.LastOrDefault();
                await ledger.CloseAsync(ticket, CallbackStatus.Failed,
                    $"attempt {attempt?.Attempt} was cut ({why}): the customer may have been called, so not again", now,
                    attempt?.CallId, attempt?.Agent, cancellationToken).ConfigureAwait(false);
                closed++;
                continue;
            }
            if ((await center.Queues!.Callbacks!.RestoreAsync(ticket, cancellationToken).ConfigureAwait(false)).Accepted)
            {
                restored++;
            }
            else
            {
                closed++;
            }
        }
        return (restored, closed);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
