using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Pbx.Tests.Queues.Configuration;

/// <summary>The <c>callback:</c> queue setting of queues.yaml.</summary>
public sealed class CallbackOptionsLoaderTests
{
    private static string SampleFile() => QueuesConfigLoaderTests.SampleFile();

    [Fact]
    public void The_sample_support_queue_offers_callbacks_after_30_seconds()
    {
        var config = QueuesConfigLoader.LoadFile(SampleFile());
        var callback = config.Find("support")!.Callback!;
        Assert.Equal((TimeSpan.FromSeconds(30), '1', 3, TimeSpan.FromMinutes(2)),
            (callback.OfferAfter, callback.Digit, callback.Attempts, callback.RetryDelay));
        Assert.Equal(("local-trunk", "office-hours", true, TimeSpan.FromDays(1), TimeSpan.FromSeconds(30)),
            (callback.Trunk, callback.Hours, callback.WaitForOpening, callback.Deadline, callback.CustomerRingTimeout));
        Assert.Null(config.Find("sales")!.Callback);
        Assert.Null(config.Find("operator")!.Callback);
    }

    [Fact]
    public void Defaults_give_every_queue_callbacks_and_a_queue_may_turn_them_off_or_override_keys()
    {
        var config = QueuesConfigLoader.Parse("""
            defaults:
              callback: { attempts: 5, retrySeconds: 60 }
            queues:
              - name: a
                members: ["1"]
              - name: b
                members: ["1"]
                callback: off
              - name: c
                members: ["1"]
                callback: { digit: "*", offerAfterSeconds: 0 }
              - name: d
                members: ["1"]
                callback: on
            """);
        Assert.Equal((5, TimeSpan.FromSeconds(60)), (config.Find("a")!.Callback!.Attempts, config.Find("a")!.Callback!.RetryDelay));
        Assert.Null(config.Find("b")!.Callback);
        var c = config.Find("c")!.Callback!;
        Assert.Equal(('*', TimeSpan.Zero, 5), (c.Digit, c.OfferAfter, c.Attempts));
        Assert.Equal(5, config.Find("d")!.Callback!.Attempts);
        Assert.Null(QueuesConfigLoader.Parse("queues:\n  - name: a\n    members: [\"1\"]\n").Find("a")!.Callback);
    }

    [Theory]
    [InlineData("callback: { digit: \"12\" }", 4, 24, "one key")]
    [InlineData("callback: { attempts: 0 }", 4, 27, "between 1 and 20")]
    [InlineData("callback: { retry: 5 }", 4, 17, "unknown key 'retry' in callback")]
    [InlineData("callback: maybe", 4, 15, "on, off or a mapping")]
    [InlineData("callback: { waitForOpening: later }", 4, 33, "true or false")]
    public void Bad_callback_settings_report_line_column_and_reason(string setting, int line, int column, string fragment)
    {
        var yaml = "queues:\n  - name: a\n    members: [\"1\"]\n    " + setting + "\n";
        var error = Assert.Throws<QueuesConfigException>(() => QueuesConfigLoader.Parse(yaml, "bad.yaml")).Errors[0];
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.Equal((line, column), (error.Line, error.Column));
    }
}
