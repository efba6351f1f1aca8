using System.Net;
using Microsoft.Extensions.Time.Testing;
using Telephony.Pbx.Sip.Security;

namespace Telephony.Pbx.Tests.Sip.Security;

/// <summary>Brute-force bans (RFC 3261 §26.3.2.4) on a fake clock: thresholds, windows, back-off, expiry, lift, trust.</summary>
public sealed class SipBanListTests
{
    private static readonly IPAddress Attacker = IPAddress.Parse("203.0.113.66");
    private static readonly IPAddress Other = IPAddress.Parse("203.0.113.77");
    private static readonly IPAddress Phone = IPAddress.Parse("198.51.100.10");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly List<SipBanEventArgs> _events = [];

    private SipBanList Create(SipSecuritySettings? settings = null)
    {
        var list = new SipBanList(settings ?? new SipSecuritySettings(), _time);
        list.Banned += (_, e) => _events.Add(e);
        list.Unbanned += (_, e) => _events.Add(e);
        return list;
    }

    private void Fail(SipBanList list, IPAddress source, int times, string user = "1001")
    {
        for (var i = 0; i < times; i++)
        {
            list.RecordFailure(source, user);
        }
    }

    [Fact]
    public void Fifth_failure_from_a_source_within_60_s_bans_it_for_60_s()
    {
        var list = Create();
        Fail(list, Attacker, 4);
        Assert.False(list.IsBanned(Attacker));
        var ban = list.RecordFailure(Attacker, "1001");
        Assert.NotNull(ban);
        Assert.True(list.IsBanned(Attacker));
        Assert.Equal(SipBanReason.SourceFailures, ban.Reason);
        Assert.Equal(5, ban.Failures);
        Assert.Equal(1, ban.Strike);
        Assert.Equal(TimeSpan.FromSeconds(60), ban.Duration);
        Assert.Equal("1001", ban.User);
        Assert.False(list.IsBanned(Other));
        var e = Assert.Single(_events);
        Assert.Equal(SipBanChange.Banned, e.Change);
        Assert.Equal(Attacker, e.Ban.Address);
    }

    [Fact]
    public void Failures_spread_wider_than_the_window_never_ban()
    {
        var list = Create();
        for (var i = 0; i < 20; i++)
        {
            list.RecordFailure(Attacker, "1001" + i);
            _time.Advance(TimeSpan.FromSeconds(15)); // 4 within any 60 s
        }
        Assert.False(list.IsBanned(Attacker));
        Assert.Equal(20, list.Counters.AuthFailures);
    }

    [Fact]
    public void Failures_for_different_users_from_one_source_count_together()
    {
        var list = Create();
        foreach (var user in new[] { "1001", "1002", "9999", "admin", "1003" })
        {
            list.RecordFailure(Attacker, user);
        }
        Assert.True(list.IsBanned(Attacker));
    }

    [Fact]
    public void Per_user_count_bans_the_next_failing_source_but_not_the_users_usual_address()
    {
        var list = Create();
        list.RecordSuccess(Phone, "1001");
        // A distributed guess: four sources, one or two tries each; no source alone reaches 5.
        for (var i = 0; i < 4; i++)
        {
            list.RecordFailure(IPAddress.Parse($"192.0.2.{i + 1}"), "1001");
        }
        Assert.Empty(list.Current);
        var ban = list.RecordFailure(IPAddress.Parse("192.0.2.50"), "1001");
        Assert.NotNull(ban);
        Assert.Equal(SipBanReason.UserFailures, ban.Reason);
        Assert.Equal(5, ban.Failures);

        // The real user mistyping once from where it registered is not banned by the per-user count.
        Assert.Null(list.RecordFailure(Phone, "1001"));
        Assert.False(list.IsBanned(Phone));
        // Other users are not affected.
        Assert.Null(list.RecordFailure(IPAddress.Parse("192.0.2.60"), "1002"));
    }

    [Fact]
    public void Unknown_user_names_are_counted_like_known_ones()
    {
        var list = Create();
        for (var i = 0; i < 5; i++)
        {
            list.RecordFailure(IPAddress.Parse($"192.0.2.{i + 1}"), "no-such-user");
        }
        Assert.Single(list.Current);
    }

    [Fact]
    public void Ban_expires_then_the_next_ban_doubles_up_to_the_cap()
    {
        var list = Create(new SipSecuritySettings
        {
            BanDuration = TimeSpan.FromMinutes(1), MaxBanDuration = TimeSpan.FromMinutes(5),
        });
        var durations = new List<TimeSpan>();
        for (var round = 0; round < 5; round++)
        {
            Fail(list, Attacker, 5);
            Assert.True(list.TryGetBan(Attacker, out var ban));
            durations.Add(ban!.Duration);
            Assert.Equal(round + 1, ban.Strike);
            _time.Advance(ban.Duration - TimeSpan.FromMilliseconds(1));
            Assert.True(list.IsBanned(Attacker));
            _time.Advance(TimeSpan.FromMilliseconds(1));
            Assert.False(list.IsBanned(Attacker));
        }
        Assert.Equal([1, 2, 4, 5, 5], durations.Select(d => (int)d.TotalMinutes));
        Assert.Equal(5, _events.Count(e => e.Change == SipBanChange.Expired));
    }

    [Fact]
    public void Back_off_starts_over_after_a_clean_period_as_long_as_the_cap()
    {
        var list = Create(new SipSecuritySettings { MaxBanDuration = TimeSpan.FromMinutes(10) });
        Fail(list, Attacker, 5);
        _time.Advance(TimeSpan.FromMinutes(1));
        Fail(list, Attacker, 5);
        Assert.True(list.TryGetBan(Attacker, out var second));
        Assert.Equal(TimeSpan.FromMinutes(2), second!.Duration);
        _time.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromMinutes(10));
        Assert.Equal(1, list.Sweep());
        Fail(list, Attacker, 5);
        Assert.True(list.TryGetBan(Attacker, out var fresh));
        Assert.Equal(1, fresh!.Strike);
        Assert.Equal(TimeSpan.FromMinutes(1), fresh.Duration);
    }

    [Fact]
    public void Counts_start_over_after_a_ban()
    {
        var list = Create();
        Fail(list, Attacker, 5);
        _time.Advance(TimeSpan.FromSeconds(60));
        Fail(list, Attacker, 4);
        Assert.False(list.IsBanned(Attacker));
        list.RecordFailure(Attacker, "1001");
        Assert.True(list.IsBanned(Attacker));
    }

    [Fact]
    public void Sweep_ends_bans_and_raises_unbanned_expired()
    {
        var list = Create();
        Fail(list, Attacker, 5);
        Fail(list, Other, 5);
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, list.Sweep());
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, list.Sweep());
        Assert.Empty(list.Current);
        Assert.Equal(2, _events.Count(e => e.Change == SipBanChange.Expired));
        var c = list.Counters;
        Assert.Equal((2L, 2L, 0L, 0), (c.BansIssued, c.BansExpired, c.BansLifted, c.ActiveBans));
    }

    [Fact]
    public void Lift_ends_the_ban_and_forgets_failures_and_back_off()
    {
        var list = Create();
        Fail(list, Attacker, 5);
        _time.Advance(TimeSpan.FromSeconds(60));
        Fail(list, Attacker, 5); // second ban: 2 min
        Assert.True(list.Lift(IPAddress.Parse("203.0.113.66")));
        Assert.False(list.IsBanned(Attacker));
        Assert.False(list.Lift(Attacker));
        Assert.Equal(SipBanChange.Lifted, _events[^1].Change);
        // (Another user: 1001's own count still stands, lifting a source does not clear what was tried on a user.)
        Fail(list, Attacker, 4, "2001");
        Assert.False(list.IsBanned(Attacker));
        list.RecordFailure(Attacker, "2001");
        Assert.True(list.TryGetBan(Attacker, out var ban));
        Assert.Equal(SipBanReason.SourceFailures, ban!.Reason);
        Assert.Equal(1, ban.Strike);
        Assert.Equal(TimeSpan.FromSeconds(60), ban.Duration);
        Assert.Equal(1, list.Counters.BansLifted);
    }

    [Fact]
    public void Trusted_networks_are_never_counted_nor_banned()
    {
        var list = Create(new SipSecuritySettings { TrustedNetworks = [IPNetwork.Parse("203.0.113.0/24")] });
        Fail(list, Attacker, 50);
        Assert.False(list.IsBanned(Attacker));
        Assert.True(list.IsTrusted(Attacker));
        Assert.False(list.IsTrusted(Phone));
        Assert.Equal(50, list.Counters.AuthFailures);
        // Not counted for the user either: an office mistyping does not get outsiders banned at once.
        Assert.Null(list.RecordFailure(Phone, "1001"));
    }

    [Fact]
    public void Ipv4_mapped_ipv6_source_is_the_same_address()
    {
        var list = Create();
        Fail(list, Attacker.MapToIPv6(), 3);
        Fail(list, Attacker, 2);
        Assert.True(list.IsBanned(Attacker.MapToIPv6()));
        Assert.Equal(Attacker, list.Current.Single().Address);
    }

    [Fact]
    public void Limit_0_never_bans()
    {
        var list = Create(new SipSecuritySettings { FailureLimit = 0 });
        Fail(list, Attacker, 100);
        Assert.Empty(list.Current);
    }

    [Fact]
    public void Unknown_source_counts_for_the_user_only()
    {
        var list = Create();
        for (var i = 0; i < 10; i++)
        {
            Assert.Null(list.RecordFailure(null, "1001"));
        }
        Assert.Empty(list.Current);
    }

    [Fact]
    public void Refused_requests_are_counted_per_action_and_per_ban()
    {
        var list = Create();
        Fail(list, Attacker, 5);
        list.CountRefused(Attacker, SipBanAction.Drop);
        list.CountRefused(Attacker, SipBanAction.Drop);
        list.CountRefused(Attacker, SipBanAction.Forbidden);
        Assert.Equal(3, list.Current.Single().RequestsRefused);
        Assert.Equal((2L, 1L), (list.Counters.RequestsDropped, list.Counters.RequestsForbidden));
    }

    [Fact]
    public void Current_lists_soonest_expiry_first()
    {
        var list = Create();
        Fail(list, Attacker, 5);
        _time.Advance(TimeSpan.FromSeconds(10));
        Fail(list, Other, 5);
        Assert.Equal([Attacker, Other], list.Current.Select(b => b.Address));
    }

    [Fact]
    public void Throwing_subscriber_does_not_break_counting()
    {
        var list = new SipBanList(new SipSecuritySettings(), _time);
        list.Banned += (_, _) => throw new InvalidOperationException("audit log down");
        Fail(list, Attacker, 5);
        Assert.True(list.IsBanned(Attacker));
    }

    [Fact]
    public void Many_distinct_sources_are_bounded()
    {
        var list = Create();
        for (var i = 0; i < SipBanList.MaxTrackedSources + 100; i++)
        {
            list.RecordFailure(new IPAddress(0x0A000000u + (uint)i), "u" + i);
        }
        Assert.Empty(list.Current);
        _time.Advance(TimeSpan.FromSeconds(61));
        Fail(list, Attacker, 5); // the stale entries make room
        Assert.True(list.IsBanned(Attacker));
    }
}
