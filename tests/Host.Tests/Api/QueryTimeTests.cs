using Telephony.Host.Api;

namespace Telephony.Host.Tests.Api;

public sealed class QueryTimeTests
{
    [Fact]
    public void Empty_keeps_the_fallback()
    {
        var fallback = new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

        Assert.True(QueryTime.TryParse(null, fallback, out DateTimeOffset value));
        Assert.Equal(fallback, value);
        Assert.True(QueryTime.TryParse("", (DateTimeOffset?)null, out DateTimeOffset? none));
        Assert.Null(none);
    }

    [Fact]
    public void A_time_without_offset_is_utc()
    {
        Assert.True(QueryTime.TryParse("2026-12-07T08:30:00", null, out DateTimeOffset? value));
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 8, 30, 0, TimeSpan.Zero), value);
    }

    [Fact]
    public void An_offset_is_kept()
    {
        Assert.True(QueryTime.TryParse("2026-12-07T09:30:00+01:00", null, out DateTimeOffset? value));
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 8, 30, 0, TimeSpan.Zero), value!.Value.ToUniversalTime());
    }

    [Fact]
    public void Garbage_is_refused()
    {
        Assert.False(QueryTime.TryParse("yesterday-ish", DateTimeOffset.UnixEpoch, out DateTimeOffset _));
    }
}
