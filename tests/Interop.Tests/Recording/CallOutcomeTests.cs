using Microsoft.Extensions.Configuration;
using Telephony.Host.Recording;
using Telephony.Pbx.Calls;
using Telephony.Recording.Storage;
using Telephony.Recording.Writing;

namespace Telephony.Interop.Tests.Recording;

/// <summary>Unit tests (no peers, no sockets) of the Host's call classification and recording settings.</summary>
public sealed class CallOutcomeTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(true, HangupParty.Caller, null, CallOutcome.Answered, HangupSide.Caller, false)]
    [InlineData(true, HangupParty.System, null, CallOutcome.Answered, HangupSide.System, false)]
    [InlineData(false, HangupParty.Caller, 487, CallOutcome.Abandoned, HangupSide.Caller, true)] // CANCEL while ringing
    [InlineData(false, HangupParty.Callee, 486, CallOutcome.NoAgent, HangupSide.Callee, true)]   // busy
    [InlineData(false, HangupParty.Callee, 603, CallOutcome.NoAgent, HangupSide.Callee, true)]   // declined
    [InlineData(false, HangupParty.System, 480, CallOutcome.NoAgent, HangupSide.System, true)]   // not registered / ring timeout
    [InlineData(false, HangupParty.System, 488, CallOutcome.Failed, HangupSide.System, false)]   // no common codec
    [InlineData(false, HangupParty.System, 503, CallOutcome.Failed, HangupSide.System, false)]   // no media ports
    [InlineData(false, HangupParty.System, null, CallOutcome.Failed, HangupSide.System, false)]
    public void Classify_maps_answer_status_and_side_to_outcome_and_missed_flag(
        bool answered, HangupParty party, int? status, CallOutcome outcome, HangupSide side, bool missed)
    {
        var info = new CallEndInfo(answered, answered ? T0 : null, T0.AddSeconds(5), party, "test", status);
        (CallOutcome o, HangupSide s) = CallRecorder.Classify(info);
        Assert.Equal(outcome, o);
        Assert.Equal(side, s);
        Assert.Equal(missed, CallOutcomes.IsMissed(o));
    }

    [Theory]
    [InlineData("AbandonedInQueue", CallOutcome.AbandonedInQueue)]
    [InlineData("afterhours", CallOutcome.AfterHours)]
    [InlineData("not-an-outcome", CallOutcome.Answered)]
    public void Classify_prefers_the_outcome_named_by_the_call_type(string named, CallOutcome expected)
    {
        var info = new CallEndInfo(true, T0, T0.AddSeconds(30), HangupParty.Caller, "caller hung up", null, named);
        Assert.Equal(expected, CallRecorder.Classify(info).Outcome);
    }

    [Fact]
    public void Settings_resolve_relative_paths_under_the_data_directory_and_read_webhooks()
    {
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["recording:format"] = "ulaw",
            ["recording:directory"] = "rec",
            ["storage:database"] = "db/t.db",
            ["alerts:retryInitialSeconds"] = "2",
            ["webhooks:0:name"] = "crm",
            ["webhooks:0:url"] = "http://127.0.0.1:9/x",
            ["webhooks:0:secret"] = "s",
        }).Build();
        RecordingSettings s = RecordingSettings.Load(config, "/srv/data");
        Assert.Equal(RecordingFormat.MuLaw, s.ParsedFormat);
        Assert.Equal("/srv/data/rec", s.Directory);
        Assert.Equal("/srv/data/db/t.db", s.Database);
        Assert.Equal(2, s.RetryInitialSeconds);
        Assert.Equal("crm", Assert.Single(s.Endpoints()).Name);
        Assert.True(RecordingSettings.Load(new ConfigurationBuilder().Build(), "/d").Enabled);
    }

    [Theory]
    [InlineData("recording:format", "mp3")]
    [InlineData("recording:retentionDays", "-1")]
    [InlineData("webhooks:0:url", "not a url")]
    public void Settings_reject_invalid_values_naming_the_key(string key, string value)
    {
        var values = new Dictionary<string, string?> { ["webhooks:0:name"] = "a", ["webhooks:0:url"] = "http://x/", ["webhooks:0:secret"] = "s", [key] = value };
        IConfiguration config = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        FormatException e = Assert.Throws<FormatException>(() => RecordingSettings.Load(config, "/d"));
        Assert.Contains(key.Split(':')[0], e.Message, StringComparison.Ordinal);
    }
}
