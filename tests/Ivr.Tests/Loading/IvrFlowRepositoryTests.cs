using Microsoft.Extensions.Time.Testing;
using Telephony.Ivr.Engine;
using Telephony.Ivr.Loading;
using Telephony.Ivr.Tests.Engine;

namespace Telephony.Ivr.Tests.Loading;

public sealed class IvrFlowRepositoryTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("ivr-repo-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));

    private static string Flow(string prompt) => $$"""
        flows:
          t:
            numbers: ["100"]
            start: hello
            on_error: bye
            nodes:
              hello: { type: play, prompt: {{prompt}}, next: bye }
              bye: { type: hangup }
        """;

    private string File(string text)
    {
        var path = Path.Combine(_dir, "ivr.yaml");
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void First_good_load_is_version_1()
    {
        using var repository = new IvrFlowRepository(File(Flow("v1")), timeProvider: _time);
        var result = repository.Reload();
        Assert.True(result.Succeeded);
        Assert.Equal(1, repository.Current!.Version);
        Assert.Equal(1, repository.FindByNumber("100")!.Version);
        Assert.Null(repository.FindByNumber("200"));
    }

    [Fact]
    public void Bad_reload_is_refused_and_the_last_good_version_stays()
    {
        var path = File(Flow("v1"));
        using var repository = new IvrFlowRepository(path, timeProvider: _time);
        repository.Reload();
        File(Flow("v1").Replace("next: bye", "next: byee"));
        var refused = repository.Reload();
        Assert.False(refused.Succeeded);
        Assert.Equal(7, refused.Errors.Single().Line);
        Assert.Equal(path, refused.Errors.Single().File);
        Assert.Equal(1, repository.Current!.Version);
        Assert.Same(refused.Errors, repository.LastErrors);
        File(Flow("v2"));
        Assert.True(repository.Reload().Succeeded);
        Assert.Equal(2, repository.Current!.Version);
        Assert.Empty(repository.LastErrors);
    }

    [Fact]
    public void Bad_file_at_startup_leaves_no_flows()
    {
        using var repository = new IvrFlowRepository(File("flows: ["), timeProvider: _time);
        Assert.False(repository.Reload().Succeeded);
        Assert.Null(repository.Current);
        Assert.Null(repository.FindByNumber("100"));
    }

    [Fact]
    public void Change_notifications_are_debounced_into_one_reload()
    {
        using var repository = new IvrFlowRepository(File(Flow("v1")), timeProvider: _time, debounce: TimeSpan.FromMilliseconds(500));
        repository.Reload();
        var reloads = 0;
        repository.Reloaded += _ => reloads++;
        File(Flow("v2"));
        repository.NotifyChanged();
        _time.Advance(TimeSpan.FromMilliseconds(300));
        repository.NotifyChanged();
        _time.Advance(TimeSpan.FromMilliseconds(300));
        Assert.Equal(0, reloads);
        _time.Advance(TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, reloads);
        Assert.Equal(2, repository.Current!.Version);
    }

    [Fact]
    public void In_flight_call_finishes_on_its_version_while_new_calls_get_the_new_one()
    {
        using var repository = new IvrFlowRepository(File(Flow("old-prompt")), timeProvider: _time);
        repository.Reload();
        var engine = new IvrEngine(repository, _time);
        var oldChannel = new RecordingChannel();
        var inFlight = engine.StartCall("100", "+1555", oldChannel, "call-1")!;

        File(Flow("new-prompt"));
        repository.NotifyChanged();
        _time.Advance(IvrFlowRepository.DefaultDebounce);
        Assert.Equal(2, repository.Current!.Version);

        var newChannel = new RecordingChannel();
        var fresh = engine.StartCall("100", "+1555", newChannel, "call-2")!;
        oldChannel.FinishPrompt();
        newChannel.FinishPrompt();

        Assert.Equal(1, IvrCallTests.Ended(inFlight).Interaction.FlowVersion);
        Assert.Equal(["play old-prompt", "hangup"], oldChannel.Actions);
        Assert.Equal(2, IvrCallTests.Ended(fresh).Interaction.FlowVersion);
        Assert.Equal(["play new-prompt", "hangup"], newChannel.Actions);
        Assert.Null(engine.StartCall("999", "+1555", new RecordingChannel()));
    }

    [Fact]
    public void Refused_reload_keeps_answering_calls_on_the_old_tree()
    {
        using var repository = new IvrFlowRepository(File(Flow("v1")), timeProvider: _time);
        repository.Reload();
        File("flows:\n  t:\n    numbers: [\"100\"]\n    start: nowhere\n    nodes: {}\n");
        repository.Reload();
        var channel = new RecordingChannel();
        Assert.NotNull(new IvrEngine(repository, _time).StartCall("100", "x", channel));
        Assert.Equal(["play v1"], channel.Actions);
    }
}
