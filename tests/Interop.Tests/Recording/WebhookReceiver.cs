using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Telephony.Recording.Alerts;

namespace Telephony.Interop.Tests.Recording;

/// <summary>One webhook delivery as a receiver saw it.</summary>
public sealed record WebhookDelivery(string Body, string? Signature, string? IdempotencyKey, string? Timestamp)
{
    /// <summary>True when the HMAC-SHA256 signature over <c>timestamp.body</c> matches <paramref name="secret"/> and the
    /// timestamp is fresh.</summary>
    public bool SignatureValid(string secret) => WebhookSignature.Verify(Encoding.UTF8.GetBytes(Body), secret, Signature, Timestamp);
}

/// <summary>A test webhook receiver on 127.0.0.1 (HttpListener): records every POST and answers 200. Can be started and
/// stopped repeatedly to simulate an endpoint that is down.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly int port;
    private HttpListener? listener;
    private Task loop = Task.CompletedTask;

    public WebhookReceiver(int port) => this.port = port;

    public Uri Url => new($"http://127.0.0.1:{port}/hook/");

    public ConcurrentQueue<WebhookDelivery> Deliveries { get; } = new();

    public void Start()
    {
        listener = new HttpListener();
        listener.Prefixes.Add(Url.ToString());
        listener.Start();
        HttpListener l = listener;
        loop = Task.Run(async () =>
        {
            while (l.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await l.GetContextAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
                {
                    string body = await reader.ReadToEndAsync().ConfigureAwait(false);
                    Deliveries.Enqueue(new WebhookDelivery(
                        body,
                        context.Request.Headers[WebhookSignature.SignatureHeader],
                        context.Request.Headers[WebhookSignature.IdempotencyKeyHeader],
                        context.Request.Headers[WebhookSignature.TimestampHeader]));
                }

                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        });
    }

    public async Task StopAsync()
    {
        if (listener is null)
        {
            return;
        }

        listener.Close();
        listener = null;
        await loop.ConfigureAwait(false);
    }

    /// <summary>Waits until a delivery matching <paramref name="predicate"/> arrived.</summary>
    public async Task<WebhookDelivery> WaitForAsync(Func<WebhookDelivery, bool> predicate, TimeSpan timeout, Func<string> context)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Deliveries.FirstOrDefault(predicate) is { } d)
            {
                return d;
            }

            await Task.Delay(100).ConfigureAwait(false);
        }

        throw new TimeoutException($"no matching webhook delivery within {timeout.TotalSeconds:0} s; got {Deliveries.Count}: " +
            string.Join("\n", Deliveries.Select(x => x.Body)) + "\n" + context());
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
