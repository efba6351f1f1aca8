using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using Telephony.Host.Callbacks;
using Telephony.Pbx.Calls;
using Telephony.Host.Tests.Storage;
using Telephony.Recording.Storage;
using Telephony.Recording.Tests.Storage;

namespace Telephony.Host.Tests.Callbacks;

/// <summary>"Call me back" requests before they reach the queues: API keys, E.164 and allowed prefixes, notBefore, the
/// rate limits (per key, per address, the same number once per window, also through the database), and what a refused
/// placement gives back.</summary>
public sealed class CallbackIntakeTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private readonly string _folder = Directory.CreateTempSubdirectory("cb-intake").FullName;
    private readonly FakeTimeProvider _time = new(T0);
    private readonly List<CallbackTicket> _placed = [];

    private static CallbackSettings Settings(int perKey = 30, int perAddress = 10, int numberWindow = 10) => new()
    {
        AllowedPrefixes = ["+1555", "+49"],
        PerKeyPerMinute = perKey,
        PerAddressPerMinute = perAddress,
        NumberWindowMinutes = numberWindow,
        Sites = [new CallbackSite { Name = "web", ApiKey = "sample-web-key", Queue = "support" }],
    };

    private async Task<CallbackIntake> IntakeAsync(CallbackSettings settings)
    {
        var db = new Database(Path.Combine(_folder, "telephony.db"));
        await db.MigrateAsync();
        return new CallbackIntake(settings, new CallbackRateLimiter(_time), new CallbackStore(db), _time);
    }

    private Task<CallbackPlacement> Place(CallbackTicket ticket, CancellationToken _)
    {
        _placed.Add(ticket);
        return Task.FromResult(new CallbackPlacement(true, 202, null, ticket, _placed.Count, TimeSpan.FromMinutes(3), ticket.ArrivedAt));
    }

    private static CallbackRequestBody Body(string number = "+15550000002", string? notBefore = null) =>
        new(number, null, "Ada", "about my invoice", notBefore);

    [Theory]
    [InlineData("+15550000002", null)]
    [InlineData("+4930123456", null)]
    [InlineData("5550000002", "E.164")]
    [InlineData("+0555000000", "E.164")]
    [InlineData("+1555 000 0002", "E.164")]
    [InlineData("+1555000000212345", "E.164")] // 16 digits
    [InlineData("+33123456789", "allowed prefixes")]
    [InlineData("", "required")]
    public void Numbers_are_E164_within_the_allowed_prefixes(string number, string? error)
    {
        var result = CallbackIntake.Validate(new CallbackRequestBody(number, null, null, null, null), ["+1555", "+49"], T0, out _);
        if (error is null)
        {
            Assert.Null(result);
        }
        else
        {
            Assert.Contains(error, result, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NotBefore_needs_an_offset_and_at_most_30_days_ahead_and_a_past_one_is_now()
    {
        Assert.Null(CallbackIntake.Validate(Body(notBefore: "2026-12-07T15:00:00Z"), [], T0, out var at));
        Assert.Equal(T0.AddHours(6), at);
        Assert.Null(CallbackIntake.Validate(Body(notBefore: "2026-12-07T16:00:00+01:00"), [], T0, out at));
        Assert.Equal(T0.AddHours(6), at);
        Assert.Null(CallbackIntake.Validate(Body(notBefore: "2026-12-01T15:00:00Z"), [], T0, out at));
        Assert.Null(at);
        Assert.Contains("offset", CallbackIntake.Validate(Body(notBefore: "2026-12-07T15:00:00"), [], T0, out _), StringComparison.Ordinal);
        Assert.Contains("offset", CallbackIntake.Validate(Body(notBefore: "tomorrow"), [], T0, out _), StringComparison.Ordinal);
        Assert.Contains("30 days", CallbackIntake.Validate(Body(notBefore: "2027-02-01T00:00:00Z"), [], T0, out _), StringComparison.Ordinal);
        Assert.Contains("name", CallbackIntake.Validate(Body() with { Name = new string('x', 101) }, [], T0, out _), StringComparison.Ordinal);
        Assert.Contains("body", CallbackIntake.Validate(null, [], T0, out _), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_are_found_only_when_they_match_exactly()
    {
        var intake = await IntakeAsync(Settings());
        Assert.Equal("web", intake.FindSite("sample-web-key")?.Name);
        Assert.Null(intake.FindSite("sample-web-ke"));
        Assert.Null(intake.FindSite("sample-web-key "));
        Assert.Null(intake.FindSite(""));
        Assert.Null(intake.FindSite(null));
    }

    [Fact]
    public async Task A_valid_request_is_placed_with_the_site_queue_and_now_as_its_place()
    {
        var intake = await IntakeAsync(Settings());
        var site = intake.FindSite("sample-web-key");
        var result = await intake.SubmitAsync(Body(), "web", "web", "127.0.0.1", site, Place);
        Assert.Equal(202, result.Status);
        var ticket = Assert.Single(_placed);
        Assert.Equal(("support", "+15550000002", "Ada", "web", "web", "127.0.0.1", T0, (DateTimeOffset?)null),
            (ticket.Queue, ticket.Number, ticket.Name, ticket.Source, ticket.RequestedBy, ticket.SourceAddress, ticket.ArrivedAt, ticket.NotBefore));
        Assert.Matches("^[0-9a-f]{32}$", ticket.Id);
    }

    [Fact]
    public async Task The_same_number_is_taken_once_per_window_other_numbers_are_not_held_up()
    {
        var intake = await IntakeAsync(Settings());
        Assert.Equal(202, (await intake.SubmitAsync(Body(), "web", "web", "127.0.0.1", null, Place)).Status);
        var again = await intake.SubmitAsync(Body(), "web", "web", "127.0.0.1", null, Place);
        Assert.Equal(429, again.Status);
        Assert.Equal(TimeSpan.FromMinutes(10), again.RetryAfter);
        Assert.Equal(202, (await intake.SubmitAsync(Body("+15550000003"), "web", "web", "127.0.0.1", null, Place)).Status);
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(202, (await intake.SubmitAsync(Body(), "web", "web", "127.0.0.1", null, Place)).Status);
    }

    [Theory, InlineData(StorageProvider.Sqlite), PostgresData]
    public async Task The_number_window_holds_across_a_restart_through_the_database(StorageProvider provider)
    {
        var settings = Settings();
        using var store = await ProviderDatabase.CreateAsync(provider, _folder);
        var first = new CallbackIntake(settings, new CallbackRateLimiter(_time), new CallbackStore(store.Database), _time);
        var db = store.Database;
        await new CallbackStore(db).SaveAsync(new CallbackRecord
        {
            Id = "earlier", Queue = "support", Number = "+15550000002", ArrivedAt = T0.AddMinutes(-3), RequestedAt = T0.AddMinutes(-3),
            Source = "web",
        }, ownVisit: true);
        var restarted = new CallbackIntake(settings, new CallbackRateLimiter(_time), new CallbackStore(db), _time); // empty memory
        Assert.Equal(429, (await restarted.SubmitAsync(Body(), "web", "web", "127.0.0.1", null, Place)).Status);
        Assert.Empty(_placed);
        GC.KeepAlive(first);
    }

    [Fact]
    public async Task Per_key_and_per_address_limits_answer_429_with_when_to_retry()
    {
        var intake = await IntakeAsync(Settings(perKey: 2, perAddress: 3));
        Assert.Equal(202, (await intake.SubmitAsync(Body("+15550000001"), "web", "web", "10.0.0.1", null, Place)).Status);
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(202, (await intake.SubmitAsync(Body("+15550000002"), "web", "web", "10.0.0.2", null, Place)).Status);
        var limited = await intake.SubmitAsync(Body("+15550000003"), "web", "web", "10.0.0.3", null, Place);
        Assert.Equal(429, limited.Status);
        Assert.Equal(TimeSpan.FromSeconds(50), limited.RetryAfter);
        Assert.Contains("per minute from web", limited.Error, StringComparison.Ordinal);
        // Another user from one address: three per minute.
        Assert.Equal(202, (await intake.SubmitAsync(Body("+15550000004"), "console", "1001", "10.0.0.9", null, Place)).Status);
        Assert.Equal(202, (await intake.SubmitAsync(Body("+15550000005"), "console", "2001", "10.0.0.9", null, Place)).Status);
        Assert.Equal(202, (await intake.SubmitAsync(Body("+15550000006"), "console", "1002", "10.0.0.9", null, Place)).Status);
        var byAddress = await intake.SubmitAsync(Body("+15550000007"), "console", "1003", "10.0.0.9", null, Place);
        Assert.Equal(429, byAddress.Status);
        Assert.Contains("10.0.0.9", byAddress.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_placement_gives_its_status_and_frees_the_number()
    {
        var intake = await IntakeAsync(Settings());
        var refused = await intake.SubmitAsync(Body(), "web", "web", "127.0.0.1", null,
            (_, _) => Task.FromResult(CallbackPlacement.Refused(409, "queue 'support' takes no callbacks")));
        Assert.Equal((409, "queue 'support' takes no callbacks"), (refused.Status, refused.Error));
        Assert.Equal(202, (await intake.SubmitAsync(Body(), "web", "web", "127.0.0.1", null, Place)).Status);
        Assert.Equal(503, (await intake.SubmitAsync(Body("+15550000009"), "web", "web", "127.0.0.1", null, null)).Status);
        Assert.Equal(400, (await intake.SubmitAsync(Body("12"), "web", "web", "127.0.0.1", null, Place)).Status);
    }

    [Fact]
    public void Settings_refuse_short_or_shared_keys_and_bad_prefixes_naming_the_key()
    {
        static CallbackSettings Load(params (string, string)[] pairs) => CallbackSettings.Load(new ConfigurationBuilder()
            .AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Item1, p.Item2))).Build());
        Assert.Equal("support", Load().DefaultQueue);
        Assert.Contains("apiKey", Assert.Throws<FormatException>(() => Load(("callbacks:sites:0:name", "a"), ("callbacks:sites:0:apiKey", "short")))
            .Message, StringComparison.Ordinal);
        Assert.Contains("apiKey", Assert.Throws<FormatException>(() => Load(("callbacks:sites:0:name", "a"), ("callbacks:sites:0:apiKey", "same-key-1"),
            ("callbacks:sites:1:name", "b"), ("callbacks:sites:1:apiKey", "same-key-1"))).Message, StringComparison.Ordinal);
        Assert.Contains("allowedPrefixes", Assert.Throws<FormatException>(() => Load(("callbacks:allowedPrefixes:0", "1555"))).Message,
            StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
