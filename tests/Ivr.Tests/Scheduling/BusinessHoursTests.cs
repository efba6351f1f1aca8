using Telephony.Ivr.Scheduling;

namespace Telephony.Ivr.Tests.Scheduling;

public sealed class BusinessHoursTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static BusinessHours OfficeHours(TimeZoneInfo zone, params Holiday[] holidays) => new(zone,
        new Dictionary<DayOfWeek, IReadOnlyList<TimeRange>>
        {
            [DayOfWeek.Monday] = [new(TimeSpan.FromHours(8), TimeSpan.FromHours(18))],
            [DayOfWeek.Tuesday] = [new(TimeSpan.FromHours(8), TimeSpan.FromHours(12)), new(TimeSpan.FromHours(13), TimeSpan.FromHours(18))],
            [DayOfWeek.Saturday] = [new(TimeSpan.FromHours(9), TimeSpan.FromHours(13))],
            [DayOfWeek.Sunday] = [new(TimeSpan.FromHours(0), TimeSpan.FromHours(24))],
        }, holidays);

    [Theory]
    // Berlin switches to CEST (UTC+2) on Sunday 2026-03-29 at 02:00 local; Monday 03-30 08:00 CEST = 06:00 UTC.
    [InlineData("2026-03-30T05:59:00Z", ScheduleState.Closed)]
    [InlineData("2026-03-30T06:00:00Z", ScheduleState.Open)]
    [InlineData("2026-03-30T15:59:00Z", ScheduleState.Open)]
    [InlineData("2026-03-30T16:00:00Z", ScheduleState.Closed)]
    // The Monday before, still CET (UTC+1): 08:00 local = 07:00 UTC.
    [InlineData("2026-03-23T06:30:00Z", ScheduleState.Closed)]
    [InlineData("2026-03-23T07:00:00Z", ScheduleState.Open)]
    // Back to CET on Sunday 2026-10-25 03:00 -> 02:00; Monday 10-26 08:00 CET = 07:00 UTC.
    [InlineData("2026-10-26T06:30:00Z", ScheduleState.Closed)]
    [InlineData("2026-10-26T07:00:00Z", ScheduleState.Open)]
    [InlineData("2026-10-26T16:59:00Z", ScheduleState.Open)]
    [InlineData("2026-10-26T17:00:00Z", ScheduleState.Closed)]
    public void Berlin_office_hours_follow_daylight_saving_time(string instant, ScheduleState expected) =>
        Assert.Equal(expected, OfficeHours(Berlin).Evaluate(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    // New York springs forward on 2026-03-08 (EST UTC-5 -> EDT UTC-4), a different week than Europe.
    [InlineData("2026-03-09T12:00:00Z", ScheduleState.Open)]     // 08:00 EDT
    [InlineData("2026-03-09T11:59:00Z", ScheduleState.Closed)]   // 07:59 EDT
    [InlineData("2026-03-02T12:59:00Z", ScheduleState.Closed)]   // 07:59 EST
    [InlineData("2026-03-02T13:00:00Z", ScheduleState.Open)]     // 08:00 EST
    public void New_york_changes_on_its_own_date(string instant, ScheduleState expected) =>
        Assert.Equal(expected, OfficeHours(NewYork).Evaluate(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Sunday_of_the_spring_gap_is_open_all_day_including_after_the_skipped_hour()
    {
        var hours = OfficeHours(Berlin);
        Assert.Equal(ScheduleState.Open, hours.Evaluate(new DateTimeOffset(2026, 3, 29, 0, 59, 0, TimeSpan.Zero))); // 01:59 CET
        Assert.Equal(ScheduleState.Open, hours.Evaluate(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero)));  // 03:00 CEST
        Assert.Equal(ScheduleState.Open, hours.Evaluate(new DateTimeOffset(2026, 3, 29, 21, 59, 0, TimeSpan.Zero))); // 23:59 CEST
        Assert.Equal(ScheduleState.Closed, hours.Evaluate(new DateTimeOffset(2026, 3, 29, 22, 0, 0, TimeSpan.Zero))); // Monday 00:00
    }

    [Fact]
    public void Lunch_break_splits_the_day()
    {
        var hours = OfficeHours(Berlin);
        var tuesday = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.FromHours(1));
        Assert.Equal(ScheduleState.Open, hours.Evaluate(tuesday.AddHours(11.99)));
        Assert.Equal(ScheduleState.Closed, hours.Evaluate(tuesday.AddHours(12.5)));
        Assert.Equal(ScheduleState.Open, hours.Evaluate(tuesday.AddHours(13)));
    }

    [Fact]
    public void Holiday_is_judged_on_the_local_date_not_the_utc_date()
    {
        var hours = OfficeHours(Berlin, new Holiday(null, 12, 25));
        // 2026-12-24T23:30Z is already 00:30 on the 25th in Berlin.
        Assert.Equal(ScheduleState.Holiday, hours.Evaluate(new DateTimeOffset(2026, 12, 24, 23, 30, 0, TimeSpan.Zero)));
        // Friday 2026-12-25 10:00 local: a working hour, but a holiday.
        Assert.Equal(ScheduleState.Holiday, hours.Evaluate(new DateTimeOffset(2026, 12, 25, 10, 0, 0, TimeSpan.FromHours(1))));
    }

    [Fact]
    public void Yearly_and_dated_holidays()
    {
        var hours = OfficeHours(Berlin, new Holiday(null, 1, 1), new Holiday(2026, 11, 23));
        Assert.Equal(ScheduleState.Holiday, hours.Evaluate(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(1))));
        Assert.Equal(ScheduleState.Open, hours.Evaluate(new DateTimeOffset(2027, 11, 22, 10, 0, 0, TimeSpan.FromHours(1))));
        Assert.Equal(ScheduleState.Holiday, hours.Evaluate(new DateTimeOffset(2029, 1, 1, 10, 0, 0, TimeSpan.FromHours(1))));
    }

    [Fact]
    public void Schedule_node_uses_the_injected_clock_and_falls_back_from_holiday_to_closed()
    {
        var flow = Engine.FlowText.Load("""
            flows:
              t:
                numbers: ["1"]
                start: hours
                on_error: closed
                nodes:
                  hours:
                    type: schedule
                    time_zone: America/New_York
                    hours: { mon-fri: "09:00-17:00", "sat,sun": closed }
                    holidays: ["2026-11-26"]
                    open: open
                    closed: closed
                  open: { type: hangup, prompt: open }
                  closed: { type: hangup, prompt: closed }
            """);
        string Run(DateTimeOffset at)
        {
            var channel = new Engine.RecordingChannel();
            var call = new Telephony.Ivr.Engine.IvrCall(flow, channel, "a", "1",
                new Microsoft.Extensions.Time.Testing.FakeTimeProvider(at));
            call.Start();
            return channel.Actions.Single();
        }
        Assert.Equal("hangup open", Run(new DateTimeOffset(2026, 11, 25, 14, 0, 0, TimeSpan.Zero)));   // Wed 09:00 EST
        Assert.Equal("hangup closed", Run(new DateTimeOffset(2026, 11, 25, 13, 59, 0, TimeSpan.Zero))); // Wed 08:59 EST
        Assert.Equal("hangup closed", Run(new DateTimeOffset(2026, 11, 26, 15, 0, 0, TimeSpan.Zero)));  // Thanksgiving
        Assert.Equal("hangup closed", Run(new DateTimeOffset(2026, 11, 28, 15, 0, 0, TimeSpan.Zero)));  // Saturday
    }
}
