using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Telephony.Calls.Tests.InProcess;
using Telephony.Host.Api;
using Telephony.Host.Ivr;
using Telephony.Host.Recording;
using Telephony.Host.Security;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Sip.Messages;
using Telephony.Recording.Alerts;
using Telephony.Recording.Storage;

namespace Telephony.Calls.Tests.Api;

/// <summary>
/// <c>GET /api/agents/{ext}/screen-pop</c> (<see cref="QueueApi.ScreenPopAsync"/>) on the sample call center in process,
/// with the Host's <see cref="CallRecorder"/> writing call records to SQLite: the queue knows the interaction id, the
/// record is keyed by the caller's SIP Call-ID, and the pop carries both (caller, dialed number, IVR path, variables).
/// </summary>
public sealed class ScreenPopTests : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "telephony-pop-" + Guid.NewGuid().ToString("N"));
    private readonly StorageQueue _storage = new(NullLogger<StorageQueue>.Instance);
    private Database _database = null!;
    private InProcessPbx _pbx = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        _database = new Database(Path.Combine(_folder, "telephony.db"));
        await _database.MigrateAsync();
        var recorder = new CallRecorder(_database, new RecordingSettings { Enabled = false, Directory = _folder }, _storage,
            new EventNotifier(), new OutboxDispatcher(_database, []), NullLogger<CallRecorder>.Instance);
        _pbx = await InProcessPbx.StartCallCenterAsync(observer: recorder);
    }

    public async Task DisposeAsync()
    {
        await _pbx.DisposeAsync();
        await _storage.CompleteAsync(TimeSpan.FromSeconds(5));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Ringing_agent_gets_the_call_record_found_by_interaction_id_through_the_live_call()
    {
        var agent = await _pbx.RegisteredPhoneAsync("1001");
        var trunk = _pbx.Trunk();
        var callerMedia = _pbx.RtpPeer("10.0.2.9");
        var call = await trunk.CallAsync("08001234567", callerMedia.Offer());
        var ok = await call.FinalAsync();
        Assert.Equal(200, ok.StatusCode);
        callerMedia.ConnectTo(ok.Body);
        var app = Assert.IsType<ApplicationCall>(await _pbx.CallAsync(call.Invite.CallId!));
        Assert.NotEqual(app.Id, app.InteractionId);

        (int status, JsonElement empty) = await PopAsync("1001", "1001");
        Assert.Equal(200, status);
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("interaction").ValueKind);

        await _pbx.TickAsync(TimeSpan.FromSeconds(4));
        callerMedia.Digit('2');
        await _pbx.TickUntilAsync(() => agent.Has(m => m is SipRequest { Method: SipMethod.Invite }), TimeSpan.FromSeconds(30),
            "agent 1001 rings");
        await _storage.DrainAsync(TimeSpan.FromSeconds(10));

        (status, JsonElement pop) = await PopAsync("1001", "1001");
        Assert.Equal(200, status);
        JsonElement interaction = pop.GetProperty("interaction");
        Assert.Equal(app.InteractionId, interaction.GetProperty("id").GetString());
        Assert.Equal(call.Invite.CallId, interaction.GetProperty("callId").GetString());
        Assert.True(interaction.GetProperty("ringing").GetBoolean());
        Assert.Equal("support", interaction.GetProperty("queue").GetString());
        Assert.Equal("+15550000001", interaction.GetProperty("caller").GetString());
        Assert.Equal("08001234567", interaction.GetProperty("dialed").GetString());
        Assert.Contains("to-support", interaction.GetProperty("ivrPath").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Object, interaction.GetProperty("variables").ValueKind); // the record's JSON, parsed
        Assert.Equal("vip", interaction.GetProperty("tags")[0].GetString());
        Assert.Equal(50, interaction.GetProperty("priority").GetInt32());

        // Another agent may not read 1001's pop; a supervisor may.
        Assert.Equal(403, (await PopAsync("1001", "1002")).Status);
        Assert.Equal(200, (await PopAsync("1001", "2001", ConsoleRoles.Supervisor)).Status);
    }

    private async Task<(int Status, JsonElement Json)> PopAsync(string ext, string user, string role = ConsoleRoles.Agent)
    {
        var principal = new ClaimsPrincipal(new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, user), new Claim(ClaimTypes.Role, role)], "test", ClaimTypes.Name, ClaimTypes.Role));
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        var body = new MemoryStream();
        context.Response.Body = body;
        IResult result = await QueueApi.ScreenPopAsync(ext, principal, _pbx.CallCenter!, _pbx.Server, _database, CancellationToken.None);
        await result.ExecuteAsync(context);
        string text = System.Text.Encoding.UTF8.GetString(body.ToArray());
        return (context.Response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }
}
