using System.Text.Json;
using Telephony.Interop.Tests.Ivr;

namespace Telephony.Interop.Tests.Recording;

/// <summary>
/// Shared set-up for the IVR/queue call-record tests: a server with its own data directory, the sample IVR on an
/// injected clock (open or closed hours), optional webhook; polling of one call record and its queue events; and
/// per-second tone analysis of a recording channel.
/// </summary>
internal static class QueueCalls
{
    public const string Secret = "queue-secret";

    /// <summary>Starts the server on <paramref name="dataDirectory"/> with the IVR clock at <paramref name="clock"/>,
    /// <paramref name="configDirectory"/> (default: config/) and, when given, a webhook to <paramref name="receiver"/>.</summary>
    public static Task<ServerProcess> StartAsync(PortBlock ports, string dataDirectory, ITestOutputHelper output,
        string clock = IvrCalls.OpenClock, string? configDirectory = null, WebhookReceiver? receiver = null)
    {
        var env = new Dictionary<string, string?>
        {
            ["TELEPHONY_IVR__CLOCK"] = clock,
            ["TELEPHONY_PATHS__CONFIGDIRECTORY"] = configDirectory ?? RepoPaths.ConfigDirectory,
        };
        if (receiver is not null)
        {
            env["TELEPHONY_WEBHOOKS__0__NAME"] = "test";
            env["TELEPHONY_WEBHOOKS__0__URL"] = receiver.Url.ToString();
            env["TELEPHONY_WEBHOOKS__0__SECRET"] = Secret;
            env["TELEPHONY_ALERTS__RETRYINITIALSECONDS"] = "1";
            env["TELEPHONY_ALERTS__RETRYMAXSECONDS"] = "2";
        }

        return RecordingApi.StartAsync(ports, dataDirectory, output, env);
    }

    /// <summary>Polls <c>/api/calls/{id}</c> until <paramref name="ready"/> holds; returns the last record either way.</summary>
    public static async Task<JsonElement> CallAsync(ServerProcess server, string id, Func<JsonElement, bool> ready, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        JsonElement call;
        do
        {
            call = await RecordingApi.GetJsonAsync(server, $"api/calls/{Uri.EscapeDataString(id)}");
            if (ready(call))
            {
                break;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        return call;
    }

    /// <summary>The closed record of the call from <paramref name="caller"/>, once its IVR data is stored too.</summary>
    public static async Task<JsonElement> ClosedCallAsync(ServerProcess server, string caller)
    {
        JsonElement closed = await RecordingApi.ClosedCallAsync(server, caller, TimeSpan.FromSeconds(15));
        return await CallAsync(server, closed.GetProperty("id").GetString()!,
            c => c.GetProperty("ivrPath").ValueKind == JsonValueKind.String, TimeSpan.FromSeconds(5));
    }

    /// <summary>The call's queue events (<c>/api/calls/{id}/queue-events</c>), in order.</summary>
    public static async Task<JsonElement> QueueEventsAsync(ServerProcess server, string id) =>
        await RecordingApi.GetJsonAsync(server, $"api/calls/{Uri.EscapeDataString(id)}/queue-events");

    public static IReadOnlyList<string> Kinds(JsonElement events) =>
        events.EnumerateArray().Select(e => e.GetProperty("kind").GetString()!).ToList();

    /// <summary>A webhook body's string property (JSON escapes '+' in numbers, so compare parsed values).</summary>
    public static string? Field(WebhookDelivery delivery, string name)
    {
        using JsonDocument doc = JsonDocument.Parse(delivery.Body);
        return doc.RootElement.TryGetProperty(name, out JsonElement v) ? v.GetString() : null;
    }

    /// <summary>Share of <paramref name="frequencyHz"/> in each whole second of <paramref name="samples"/>.</summary>
    public static double[] SharePerSecond(short[] samples, double frequencyHz) =>
        Enumerable.Range(0, samples.Length / 8000)
            .Select(s => AudioAnalysis.ToneShare(samples.AsSpan(s * 8000, 8000), frequencyHz))
            .ToArray();

    /// <summary>First second from <paramref name="from"/> that starts <paramref name="run"/> seconds in a row at or
    /// above <paramref name="threshold"/>, or -1.</summary>
    public static int FirstRun(double[] shares, double threshold, int run, int from = 0)
    {
        for (int i = from; i + run <= shares.Length; i++)
        {
            if (shares.AsSpan(i, run).ToArray().All(s => s >= threshold))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The samples between <paramref name="fromEndSeconds"/> and <paramref name="toEndSeconds"/> before the end.</summary>
    public static short[] Tail(short[] samples, double fromEndSeconds, double toEndSeconds)
    {
        int start = Math.Max(0, samples.Length - (int)(fromEndSeconds * 8000));
        int end = Math.Max(start, samples.Length - (int)(toEndSeconds * 8000));
        return samples[start..end];
    }

    public static string Dump(double[] shares) => string.Join(" ", shares.Select(s => s.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)));
}
