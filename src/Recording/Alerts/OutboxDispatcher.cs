using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Recording.Storage;

namespace Telephony.Recording.Alerts;

/// <summary>
/// Delivers due outbox entries to their webhooks (HTTP POST, JSON body, signed per <see cref="WebhookSignature"/>),
/// marks each delivered once, and reschedules failures per <see cref="RetrySchedule"/>. State lives in SQLite, so a
/// new dispatcher after a restart carries on where the old one stopped; a delivery interrupted by a crash is
/// retried after its lease with the same idempotency key, so the receiver can tell it apart.
/// </summary>
public sealed class OutboxDispatcher : IDisposable
{
    private readonly OutboxStore _outbox;
    private readonly EventLog _events;
    private readonly Dictionary<string, WebhookEndpoint> _webhooks;
    private readonly OutboxDispatcherOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _pass = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <param name="database">Database holding the outbox.</param>
    /// <param name="webhooks">Configured webhooks, by name.</param>
    /// <param name="options">Schedule, timeouts, batch size.</param>
    /// <param name="handler">HTTP handler (tests inject one); not disposed by the dispatcher.</param>
    /// <param name="timeProvider">Clock for due times and polling.</param>
    /// <param name="logger">Logger; none by default.</param>
    public OutboxDispatcher(
        Database database,
        IEnumerable<WebhookEndpoint> webhooks,
        OutboxDispatcherOptions? options = null,
        HttpMessageHandler? handler = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(webhooks);
        _outbox = new OutboxStore(database);
        _events = new EventLog(database);
        _webhooks = webhooks.ToDictionary(w => w.Name, StringComparer.Ordinal);
        _options = options ?? new OutboxDispatcherOptions();
        _http = handler is null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _http.Timeout = _options.RequestTimeout;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Asks a running <see cref="RunAsync"/> loop to look at the outbox now (e.g. after an alert was created).</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // already woken
            }
        }
    }

    /// <summary>One pass: attempts every due entry (up to the batch size). Returns how many were delivered.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken cancellationToken = default)
    {
        await _pass.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int delivered = 0;
            DateTimeOffset now = _time.GetUtcNow();
            foreach (OutboxEntry entry in await _outbox.ListDueAsync(now, _options.BatchSize, cancellationToken).ConfigureAwait(false))
            {
                if (await AttemptAsync(entry, cancellationToken).ConfigureAwait(false))
                {
                    delivered++;
                }
            }

            return delivered;
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>Dispatches until cancelled: a pass every poll interval or on <see cref="Wake"/>.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await DispatchDueAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // a database hiccup must not stop alert delivery for good
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _logger.LogError(ex, "Outbox pass failed");
            }

            using var delay = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            Task tick = Task.Delay(_options.PollInterval, _time, delay.Token);
            Task woken = _wake.WaitAsync(delay.Token);
            await Task.WhenAny(tick, woken).ConfigureAwait(false);
            await delay.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(tick, woken).ContinueWith(static _ => { }, CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
        }
    }

    /// <summary>Disposes the HTTP client (not an injected handler).</summary>
    public void Dispose()
    {
        _http.Dispose();
        _pass.Dispose();
        _wake.Dispose();
    }

    private async Task<bool> AttemptAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        DateTimeOffset now = _time.GetUtcNow();
        TimeSpan lease = _options.RequestTimeout * 2;
        if (!await _outbox.TryClaimAsync(entry, now + lease, cancellationToken).ConfigureAwait(false))
        {
            return false; // another dispatcher has it, or it was delivered meanwhile
        }

        int attempt = entry.Attempts + 1;
        string? error = _webhooks.TryGetValue(entry.Webhook, out WebhookEndpoint? webhook)
            ? await PostAsync(webhook, entry, attempt, cancellationToken).ConfigureAwait(false)
            : $"webhook '{entry.Webhook}' is not configured";

        DateTimeOffset done = _time.GetUtcNow();
        if (error is null)
        {
            if (await _outbox.MarkDeliveredAsync(entry.Id, done, cancellationToken).ConfigureAwait(false))
            {
                _logger.LogInformation("Delivered {Key} to webhook {Webhook} (attempt {Attempt})", entry.IdempotencyKey, entry.Webhook, attempt);
                await _events.AppendAsync(
                    EventTypes.AlertDelivered,
                    null,
                    $$"""{"outboxId":{{entry.Id}},"webhook":{{System.Text.Json.JsonSerializer.Serialize(entry.Webhook)}},"attempt":{{attempt}}}""",
                    done,
                    cancellationToken).ConfigureAwait(false);
                return true;
            }

            return false;
        }

        TimeSpan delay = _options.Schedule.DelayFor(attempt, _options.Random());
        await _outbox.ScheduleRetryAsync(entry.Id, done + delay, error, cancellationToken).ConfigureAwait(false);
        _logger.LogWarning(
            "Webhook {Webhook} delivery {Key} failed (attempt {Attempt}): {Error}; retry in {Delay}",
            entry.Webhook, entry.IdempotencyKey, attempt, error, delay);
        return false;
    }

    /// <summary>POSTs one entry; returns null on a 2xx answer, else why it failed.</summary>
    private async Task<string?> PostAsync(WebhookEndpoint webhook, OutboxEntry entry, int attempt, CancellationToken cancellationToken)
    {
        byte[] body = Encoding.UTF8.GetBytes(entry.Payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url);
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        long timestamp = _time.GetUtcNow().ToUnixTimeSeconds();
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Compute(timestamp, body, webhook.Secret));
        request.Headers.Add(WebhookSignature.IdempotencyKeyHeader, entry.IdempotencyKey);
        request.Headers.Add("X-Telephony-Attempt", attempt.ToString(CultureInfo.InvariantCulture));
        try
        {
            using HttpResponseMessage response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return "timed out";
        }
    }
}
