using Telephony.Host.Ivr;
using Telephony.Pbx.Calls;

namespace Telephony.Host.Callbacks;

/// <summary>
/// At start-up (after the PBX is up): puts every pending callback back in its queue's line at its original place. An
/// attempt the stop or crash cut (begun, never ended) may have reached the customer: that callback is closed as failed
/// (<c>callback_failed</c>) rather than risk calling the customer twice; one whose customer already answered is closed
/// as completed. The rest wait as before (a callback is never forgotten).
/// </summary>
public sealed class CallbackRecovery(CallCenter center, CallbackLedger ledger, TimeProvider time, ILogger<CallbackRecovery> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (center.Queues?.Callbacks is not { } desk)
        {
            return;
        }
        var now = time.GetUtcNow();
        var interrupted = new HashSet<string>(await ledger.Store.InterruptOpenAttemptsAsync(now, cancellationToken).ConfigureAwait(false),
            StringComparer.Ordinal);
        int restored = 0, closed = 0;
        foreach (var record in await ledger.Store.ListPendingAsync(cancellationToken).ConfigureAwait(false))
        {
            var ticket = CallbackLedger.ToTicket(record);
            var attempts = await ledger.Store.ListAttemptsAsync(record.Id, cancellationToken).ConfigureAwait(false);
            if (attempts.FirstOrDefault(a => a.Result == nameof(CallbackAttemptResult.Answered)) is { } answered)
            {
                await ledger.CloseAsync(ticket, CallbackStatus.Completed, $"answered on attempt {answered.Attempt} (the server stopped during the call)",
                    now, answered.CallId, answered.Agent, cancellationToken).ConfigureAwait(false);
                closed++;
                continue;
            }
            if (interrupted.Contains(record.Id))
            {
                var cut = attempts.LastOrDefault();
                await ledger.CloseAsync(ticket, CallbackStatus.Failed,
                    $"attempt {cut?.Attempt} was cut by a server stop: the customer may have been called, so not again", now,
                    cut?.CallId, cut?.Agent, cancellationToken).ConfigureAwait(false);
                closed++;
                continue;
            }
            if ((await desk.RestoreAsync(ticket, cancellationToken).ConfigureAwait(false)).Accepted)
            {
                restored++;
            }
            else
            {
                closed++;
            }
        }
        if (restored + closed > 0)
        {
            logger.LogInformation("Callbacks after start-up: {Restored} back in line at their place, {Closed} closed", restored, closed);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
