using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Telephony.Host.Security;
using Telephony.Recording.Storage;

namespace Telephony.Host.Tests.Security;

public sealed class ConsoleLoginTests : IDisposable
{
    // Cheap hashes keep the tests fast; the server uses the default Argon2id parameters.
    private static readonly string Hash2001 = PasswordHasher.HashPbkdf2("pass2001", "saltsaltsaltsalt"u8.ToArray(), 1);
    private static readonly string Dummy = PasswordHasher.HashPbkdf2("dummy", "saltsaltsaltsalt"u8.ToArray(), 1);

    private readonly string _folder = Directory.CreateTempSubdirectory("host-tests-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly RecordingAuditTrail _audit = new();
    private readonly ConsoleLogin _login;
    private readonly ConsoleSessions _sessions;

    public ConsoleLoginTests()
    {
        var database = new Database(Path.Combine(_folder, "telephony.db"));
        database.MigrateAsync().GetAwaiter().GetResult();
        _sessions = new ConsoleSessions(new SessionStore(database), _time, TimeSpan.FromHours(12));
        var accounts = new AccountDirectory(
        [
            new ConsoleAccount("1001", "agent", "pass1001", false, null),
            new ConsoleAccount("2001", "supervisor", Hash2001, true, null),
            new ConsoleAccount("3001", null, "pass3001", false, null),
        ]);
        _login = new ConsoleLogin(accounts, _sessions, new LoginThrottle(new LoginThrottleOptions(), _time), _audit, Dummy);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Plaintext_and_hashed_accounts_log_in_and_get_a_session_with_their_role()
    {
        LoginResult agent = await _login.LoginAsync("1001", "pass1001", "10.0.0.1");
        LoginResult supervisor = await _login.LoginAsync("2001", "pass2001", "10.0.0.1");

        Assert.Equal(LoginStatus.Ok, agent.Status);
        Assert.Equal(("1001", "agent"), (agent.Session!.User, agent.Session.Role));
        Assert.Equal(("2001", "supervisor"), (supervisor.Session!.User, supervisor.Session.Role));
        Assert.Equal(supervisor.Session, _sessions.Find(supervisor.Token));
        Assert.Equal([AuditActions.Login, AuditActions.Login], _audit.Entries.Select(e => e.Action));
        Assert.Equal(("2001", "supervisor", "10.0.0.1", AuditOutcomes.Ok),
            (_audit.Entries[1].Actor, _audit.Entries[1].Role, _audit.Entries[1].Source, _audit.Entries[1].Outcome));
    }

    [Fact]
    public async Task Unknown_user_wrong_password_and_no_console_role_get_the_same_answer()
    {
        LoginResult[] results =
        [
            await _login.LoginAsync("nobody", "pass1001", "10.0.0.1"),
            await _login.LoginAsync("1001", "wrong", "10.0.0.2"),
            await _login.LoginAsync("2001", "wrong", "10.0.0.3"),
            await _login.LoginAsync("3001", "pass3001", "10.0.0.4"),
            await _login.LoginAsync(null, null, "10.0.0.5"),
        ];

        Assert.All(results, r => Assert.Equal(new LoginResult(LoginStatus.Invalid), r));
        Assert.All(_audit.Entries, e => Assert.Equal((AuditActions.LoginFailed, AuditOutcomes.Failed), (e.Action, e.Outcome)));
        Assert.Equal(["unknown user", "wrong password", "wrong password", "no console role", "unknown user"],
            _audit.Entries.Select(e => System.Text.Json.JsonDocument.Parse(e.Detail!).RootElement.GetProperty("reason").GetString()));
    }

    [Fact]
    public async Task The_fifth_failure_locks_and_even_the_right_password_is_then_refused_with_retry_after()
    {
        for (int i = 0; i < 5; i++)
        {
            Assert.Equal(LoginStatus.Invalid, (await _login.LoginAsync("2001", "guess" + i, "10.0.0.9")).Status);
        }

        LoginResult refused = await _login.LoginAsync("2001", "pass2001", "10.0.0.1");
        Assert.Equal(new LoginResult(LoginStatus.Throttled, RetryAfter: TimeSpan.FromSeconds(30)), refused);
        Assert.Contains(_audit.Entries, e => e.Action == AuditActions.LoginLockedOut && e.Actor == "2001");
        Assert.Equal((AuditActions.LoginFailed, AuditOutcomes.Denied), (_audit.Entries[^1].Action, _audit.Entries[^1].Outcome));

        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(LoginStatus.Ok, (await _login.LoginAsync("2001", "pass2001", "10.0.0.1")).Status);
    }

    private sealed class RecordingAuditTrail : IAuditTrail
    {
        public List<AuditEntry> Entries { get; } = [];

        public Task RecordAsync(AuditEntry entry, CancellationToken cancellationToken = default)
        {
            Entries.Add(entry);
            return Task.CompletedTask;
        }

        public void Record(AuditEntry entry) => Entries.Add(entry);
    }
}
