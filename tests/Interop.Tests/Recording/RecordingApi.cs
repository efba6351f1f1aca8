using System.Net.Http.Headers;
using System.Text.Json;

namespace Telephony.Interop.Tests.Recording;

/// <summary>The server's storage side as the tests use it: its own data directory (kept across restarts), the HTTP
/// API (<c>/api/calls</c>, recordings, alerts) and polling helpers.</summary>
internal static class RecordingApi
{
    public static readonly HttpClient Http = AuthenticatedHttp.Create(TimeSpan.FromSeconds(10));

    public static string Password(string extension) => "pass" + extension;

    /// <summary>Starts the server on <paramref name="ports"/> with <paramref name="dataDirectory"/> (not deleted on dispose)
    /// and waits for SIP.</summary>
    public static Task<ServerProcess> StartAsync(
        PortBlock ports, string dataDirectory, ITestOutputHelper output, IReadOnlyDictionary<string, string?>? extra = null) =>
        ServerProcess.StartReadyAsync(ports, output, extra, dataDirectory);

    public static async Task<JsonElement> GetJsonAsync(ServerProcess server, string path)
    {
        using HttpResponseMessage r = await Http.GetAsync(new Uri(server.HttpBase, path));
        string body = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"GET {path}: {(int)r.StatusCode} {body}");
        using JsonDocument doc = JsonDocument.Parse(body);
        return doc.RootElement.Clone();
    }

    /// <summary>Polls <c>/api/calls?number=</c> until a closed record (endedAt set) appears.</summary>
    public static async Task<JsonElement> ClosedCallAsync(ServerProcess server, string number, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await GetJsonAsync(server, $"api/calls?number={Uri.EscapeDataString(number)}&page=1&pageSize=10");
            foreach (JsonElement item in last.GetProperty("items").EnumerateArray())
            {
                if (item.GetProperty("endedAt").ValueKind != JsonValueKind.Null)
                {
                    return item;
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"no closed call record for {number}: {last}\n{server.Describe()}");
    }

    /// <summary>Polls the call's recordings until one has a status other than Recording.</summary>
    public static async Task<JsonElement> ClosedRecordingAsync(ServerProcess server, string callId, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        JsonElement last = default;
        while (DateTime.UtcNow < deadline)
        {
            last = await GetJsonAsync(server, $"api/calls/{Uri.EscapeDataString(callId)}/recordings");
            foreach (JsonElement item in last.EnumerateArray())
            {
                if (item.GetProperty("status").GetString() != "Recording")
                {
                    return item;
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"no closed recording for call {callId}: {last}\n{server.Describe()}");
    }

    /// <summary>Left and right channels of a stereo PCM16 WAV.</summary>
    public static (short[] Left, short[] Right) Channels(WavFile wav)
    {
        Assert.Equal(2, wav.Channels);
        var left = new short[wav.Samples.Length / 2];
        var right = new short[left.Length];
        for (int i = 0; i < left.Length; i++)
        {
            left[i] = wav.Samples[2 * i];
            right[i] = wav.Samples[(2 * i) + 1];
        }

        return (left, right);
    }

    /// <summary>GET with a byte range.</summary>
    public static async Task<(int Status, byte[] Body, string? ContentRange)> GetRangeAsync(ServerProcess server, string path, long from, long to)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.HttpBase, path));
        request.Headers.Range = new RangeHeaderValue(from, to);
        using HttpResponseMessage r = await Http.SendAsync(request);
        return ((int)r.StatusCode, await r.Content.ReadAsByteArrayAsync(), r.Content.Headers.ContentRange?.ToString());
    }

    /// <summary>Starts a registered baresip for <paramref name="extension"/> sending <paramref name="wav"/>.</summary>
    public static async Task<BaresipPeer> PhoneAsync(
        ServerProcess server, PortBlock ports, int index, string extension, string wav, bool autoAnswer, ITestOutputHelper output)
    {
        BaresipPeer peer = await BaresipPeer.StartAsync(
            new BaresipOptions
            {
                Name = extension, SipPort = ports.PeerSip(index), ControlPort = ports.PeerSip(index) + 2, RtpPortMin = ports.PeerMedia(index),
                Account = BaresipPeer.AccountLine(extension, server.SipHostPort, Password(extension), autoAnswer: autoAnswer),
                AudioSourceWav = wav, QuitAfter = TimeSpan.FromSeconds(90),
            },
            output);
        try
        {
            await peer.WaitForLogAsync("[1 binding]", TimeSpan.FromSeconds(10));
        }
        catch
        {
            await peer.DisposeAsync();
            throw;
        }

        return peer;
    }
}
