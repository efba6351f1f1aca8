using Microsoft.Extensions.Time.Testing;
using Telephony.Host.Callbacks;
using Telephony.Ivr.Loading;
using Telephony.Ivr.Model;

namespace Telephony.Host.Tests.Callbacks;

/// <summary>Opening hours of callbacks: a queue's <c>callback.hours</c> names an IVR schedule node; a callback due while
/// it is closed waits for the next opening (in the server's time line, also when the IVR's clock is shifted).</summary>
public sealed class CallbackHoursTests
{
    private const string Tree = """
        flows:
          t:
            numbers: ["100"]
            start: office-hours
            on_error: bye
            nodes:
              office-hours:
                type: schedule
                time_zone: Europe/Berlin
                hours: { mon-fri: "08:00-18:00" }
                open: bye
                closed: bye
              bye: { type: hangup }
        """;

    private static readonly IvrFlowSet Flows = YamlFlowLoader.LoadText(Tree, "ivr.yaml").Flows!;

    [Fact]
    public void The_tree_loads()
    {
        var result = YamlFlowLoader.LoadText(Tree, "ivr.yaml");
        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));
        Assert.Contains(result.Flows!.Flows.SelectMany(f => f.Nodes.Values), n => n.Id == "office-hours");
    }

    [Fact]
    public void Open_now_is_due_now()
    {
        var monday10 = new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero); // 10:00 in Berlin
        var time = new FakeTimeProvider(monday10);
        var hours = new CallbackHours(() => Flows, time, time);
        Assert.Equal(monday10, hours.NextOpening("office-hours", monday10));
    }

    [Fact]
    public void Closed_on_friday_evening_waits_for_monday_8_oclock()
    {
        var friday20 = new DateTimeOffset(2026, 11, 27, 19, 0, 0, TimeSpan.Zero); // 20:00 in Berlin
        var time = new FakeTimeProvider(friday20);
        var hours = new CallbackHours(() => Flows, time, time);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 7, 0, 0, TimeSpan.Zero), hours.NextOpening("office-hours", friday20));
    }

    [Fact]
    public void A_shifted_ivr_clock_is_turned_back_into_server_time()
    {
        var server = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var ivr = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 19, 0, 0, TimeSpan.Zero)); // Friday 20:00 in Berlin
        var hours = new CallbackHours(() => Flows, ivr, server);
        var opening = hours.NextOpening("office-hours", server.GetUtcNow());
        Assert.Equal(server.GetUtcNow() + TimeSpan.FromHours(60), opening); // Monday 08:00 is 60 h after Friday 20:00
    }

    [Fact]
    public void Unknown_schedule_or_no_ivr_means_open()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 27, 19, 0, 0, TimeSpan.Zero));
        Assert.Null(new CallbackHours(() => Flows, time, time).NextOpening("nosuch", time.GetUtcNow()));
        Assert.Null(new CallbackHours(() => null, time, time).NextOpening("office-hours", time.GetUtcNow()));
    }
}
