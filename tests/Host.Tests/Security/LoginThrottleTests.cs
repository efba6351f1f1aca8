using Microsoft.Extensions.Time.Testing;
using Telephony.Host.Security;

namespace Telephony.Host.Tests.Security;

public class LoginThrottleTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));
    private readonly LoginThrottle _throttle;

    public LoginThrottleTests() => _throttle = new LoginThrottle(new LoginThrottleOptions(), _time);

    [Fact]
    public void Four_failures_are_allowed_and_the_fifth_locks_the_user_for_30_seconds()
    {
        for (int i = 0; i < 4; i++)
        {
            Assert.Null(_throttle.Failed("1001", "10.0.0." + i)); // different sources: only the user key counts to 5
            Assert.Null(_throttle.RetryAfter("1001", "10.0.0.9"));
        }

        Assert.Equal(TimeSpan.FromSeconds(30), _throttle.Failed("1001", "10.0.0.4"));
        Assert.Equal(TimeSpan.FromSeconds(30), _throttle.RetryAfter("1001", "10.0.0.9"));
        Assert.Null(_throttle.RetryAfter("1002", "10.0.0.9")); // another user from another address is not affected
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(TimeSpan.FromSeconds(1), _throttle.RetryAfter("1001", "10.0.0.9"));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(_throttle.RetryAfter("1001", "10.0.0.9"));
    }

    [Fact]
    public void Each_failure_after_a_lockout_doubles_it_up_to_the_maximum()
    {
        var throttle = new LoginThrottle(new LoginThrottleOptions { Window = TimeSpan.FromDays(1) }, _time);
        var seen = new List<double>();
        for (int i = 0; i < 12; i++)
        {
            if (throttle.Failed("2001", "10.0.0.1") is { } lockout)
            {
                seen.Add(lockout.TotalSeconds);
                _time.Advance(lockout);
            }
        }

        Assert.Equal([30, 60, 120, 240, 480, 900, 900, 900], seen);
    }

    [Fact]
    public void With_the_default_15_minute_window_a_slow_guesser_gets_at_most_five_tries_per_window()
    {
        var seen = new List<double>();
        for (int i = 0; i < 12; i++)
        {
            if (_throttle.Failed("2001", "10.0.0.1") is { } lockout)
            {
                seen.Add(lockout.TotalSeconds);
                _time.Advance(lockout);
            }
        }

        // The sixth lockout ends 30.5 min after the first failure: the oldest failures have left the window by then.
        Assert.Equal([30, 60, 120, 240, 480, 900], seen);
    }

    [Fact]
    public void A_source_guessing_many_user_names_is_locked_for_every_user()
    {
        for (int i = 0; i < 5; i++)
        {
            _throttle.Failed("user" + i, "192.0.2.7");
        }

        Assert.NotNull(_throttle.RetryAfter("2001", "192.0.2.7"));
        Assert.Null(_throttle.RetryAfter("2001", "192.0.2.8"));
    }

    [Fact]
    public void Unknown_user_names_are_throttled_like_known_ones()
    {
        for (int i = 0; i < 5; i++)
        {
            _throttle.Failed("nobody", "10.0.0." + i);
        }

        Assert.Equal(TimeSpan.FromSeconds(30), _throttle.RetryAfter("nobody", "10.9.9.9"));
    }

    [Fact]
    public void Failures_older_than_the_window_are_forgotten()
    {
        for (int i = 0; i < 4; i++)
        {
            _throttle.Failed("1001", "10.0.0.1");
        }

        _time.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        Assert.Null(_throttle.Failed("1001", "10.0.0.1"));
        Assert.Null(_throttle.RetryAfter("1001", "10.0.0.1"));
    }

    [Fact]
    public void Success_clears_the_users_failures_but_not_the_sources()
    {
        for (int i = 0; i < 4; i++)
        {
            _throttle.Failed("1001", "10.0.0.1");
        }

        _throttle.Succeeded("1001");
        Assert.Null(_throttle.Failed("1001", "10.0.0.2")); // the user starts again from one
        Assert.NotNull(_throttle.Failed("1003", "10.0.0.1")); // the source's fifth failure still locks it
    }

    [Fact]
    public void Tracked_keys_stay_bounded_under_a_flood_of_names()
    {
        var throttle = new LoginThrottle(new LoginThrottleOptions { MaxTrackedKeys = 100 }, _time);
        for (int i = 0; i < 1000; i++)
        {
            throttle.Failed("random" + i, "10.0.0.1");
        }

        Assert.True(throttle.TrackedKeys <= 100, $"{throttle.TrackedKeys} keys");
        Assert.NotNull(throttle.RetryAfter("anyone", "10.0.0.1")); // the source is still locked
        _time.Advance(TimeSpan.FromHours(1));
        throttle.Failed("late", "10.0.0.2");
        Assert.True(throttle.TrackedKeys <= 3, $"{throttle.TrackedKeys} keys after the window");
    }
}
