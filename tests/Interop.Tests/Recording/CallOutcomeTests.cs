using Microsoft.Extensions.Configuration;
using Telephony.Host.Recording;
using Telephony.Recording.Writing;

namespace Telephony.Interop.Tests.Recording;

/// <summary>Unit tests (no peers, no sockets) of the Host's recording settings.</summary>
public sealed class CallOutcomeTests
{
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
