using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Data.Sqlite;
using Telephony.Pbx.Contracts;
using Telephony.Recording.Storage;
using Telephony.Recording.Writing;

namespace Telephony.Interop.Tests.Security;

/// <summary>
/// A server whose database is seeded before start with two answered queue calls, one per agent, each with a
/// recording: <see cref="Call1001"/> (agent 1001, recording <see cref="Recording1001"/>) and <see cref="Call1002"/>
/// (agent 1002), their queue and call events in the event log, and a missed-call alert. Tokens for the sample accounts
/// (1001 agent, 2001 supervisor, admin) come from <see cref="LoginAsync"/>.
/// </summary>
internal static class SecuredServer
{
    public const string Call1001 = "seed-call-1001@test";
    public const string Call1002 = "seed-call-1002@test";

    public static long Recording1001 { get; private set; }

    public static long Recording1002 { get; private set; }

    public static readonly HttpClient Http = new(new HttpClientHandler { UseCookies = false }) { Timeout = TimeSpan.FromSeconds(20) };

    /// <summary>Seeds <paramref name="dataDirectory"/> (a fresh folder) and returns it.</summary>
    public static async Task SeedAsync(string dataDirectory)
    {
        var db = new Database(Path.Combine(dataDirectory, "telephony.db"));
        await db.MigrateAsync();
        DateTimeOffset t0 = DateTimeOffset.UtcNow.AddHours(-1);
        (Recording1001, Recording1002) = (await SeedCallAsync(db, dataDirectory, Call1001, "+15550001001", "1001", t0),
            await SeedCallAsync(db, dataDirectory, Call1002, "+15550001002", "1002", t0.AddMinutes(5)));
        await new AlertStore(db).CreateAsync(AlertKinds.MissedCall, "seed-missed@test", "+15550009999",
            """{"kind":"missed_call","caller":"+15550009999"}""", t0.AddMinutes(10), []);
        SqliteConnection.ClearAllPools();
    }

    private static async Task<long> SeedCallAsync(Database db, string data, string callId, string caller, string agent, DateTimeOffset at)
    {
        var calls = new CallStore(db);
        var events = new EventLog(db);
        await calls.StartAsync(callId, caller, "08001234567", at);
        await events.AppendAsync(EventTypes.CallStarted, callId, $$"""{"callId":"{{callId}}","caller":"{{caller}}","dialed":"08001234567"}""", at);
        await calls.AnswerAsync(callId, at.AddSeconds(1));
        await calls.SetQueueAsync(callId, "support", 5);
        var queueEvents = new QueueEventStore(db);
        await queueEvents.AppendAsync(callId, "support", QueueEventKind.Entered, at.AddSeconds(5));
        await queueEvents.AppendAsync(callId, "support", QueueEventKind.AgentRung, at.AddSeconds(6), agent);
        await events.AppendAsync(EventTypes.QueueAgentRung, callId, $$"""{"callId":"{{callId}}","queue":"support","agent":"{{agent}}"}""", at.AddSeconds(6));
        await queueEvents.AppendAsync(callId, "support", QueueEventKind.Answered, at.AddSeconds(8), agent);
        await calls.SetAgentAsync(callId, agent, TimeSpan.FromSeconds(3));
        string wav = Path.Combine(data, "recordings", "seed", callId.Replace('@', '_') + ".wav");
        Directory.CreateDirectory(Path.GetDirectoryName(wav)!);
        byte[] audio = Wav(8000);
        await File.WriteAllBytesAsync(wav, audio);
        var recordings = new RecordingStore(db);
        long id = await recordings.StartAsync(callId, wav, RecordingFormat.Pcm16, at.AddSeconds(1));
        await recordings.FinishAsync(id, RecordingStatus.Completed, TimeSpan.FromSeconds(1), audio.Length, null);
        await calls.EndAsync(callId, at.AddSeconds(30), CallOutcome.Answered, TimeSpan.FromSeconds(22), TimeSpan.FromSeconds(3), "bye", HangupSide.Caller);
        await events.AppendAsync(EventTypes.CallEnded, callId, $$"""{"callId":"{{callId}}","outcome":"Answered"}""", at.AddSeconds(30));
        return id;
    }

    /// <summary>Starts the server on <paramref name="ports"/> with <paramref name="dataDirectory"/> and waits for /health.</summary>
    public static Task<ServerProcess> StartAsync(PortBlock ports, string dataDirectory, ITestOutputHelper? output,
        IReadOnlyDictionary<string, string?>? extra = null) =>
        ServerProcess.StartAsync(ports, output, ServerProcess.WithData(dataDirectory, extra));

    /// <summary>Logs in with the sample password of <paramref name="user"/> and returns the token.</summary>
    public static async Task<string> LoginAsync(ServerProcess server, string user)
    {
        (HttpStatusCode status, string? token, string body) = await AuthenticatedHttp.LoginAsync(Http, server.HttpBase, user, "pass" + user);
        Assert.True(status == HttpStatusCode.OK && token is not null, $"login {user}: {(int)status} {body}");
        return token!;
    }

    /// <summary>Sends a request with an optional bearer token and JSON body; returns status, body and the response headers.</summary>
    public static async Task<(int Status, string Body, HttpResponseMessage Response)> SendAsync(ServerProcess server, HttpMethod method,
        string path, string? token, string? json = null, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(server.HttpBase, path));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        configure?.Invoke(request);
        HttpResponseMessage response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        // The event stream never ends: read only the error bodies there.
        string body = path.StartsWith("api/events", StringComparison.Ordinal) && response.IsSuccessStatusCode
            ? ""
            : await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, body, response);
    }

    /// <summary>A mono 16-bit 8 kHz WAV of <paramref name="samples"/> samples of silence.</summary>
    private static byte[] Wav(int samples)
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write("RIFF"u8);
        w.Write(36 + (samples * 2));
        w.Write("WAVEfmt "u8);
        w.Write(16);
        w.Write((short)1);
        w.Write((short)1);
        w.Write(8000);
        w.Write(16000);
        w.Write((short)2);
        w.Write((short)16);
        w.Write("data"u8);
        w.Write(samples * 2);
        w.Write(new byte[samples * 2]);
        w.Flush();
        return stream.ToArray();
    }
}
