using Telephony.Browser.Tests.Infrastructure;
using Telephony.Interop.Tests.Ivr;
using Telephony.Interop.Tests.Promises;

namespace Telephony.Browser.Tests;

/// <summary>
/// The voicemail page on a server after hours (the sample IVR takes a message for the support mailbox). A trunk caller
/// leaves a message: the supervisor's wallboard shows the voicemail alert as it happens, its "listen" link opens the
/// voicemail page with the message new; playing it marks it heard by the supervisor, "Mark handled" records who. Agent
/// 1002 (a support member) sees the message in its queue's mailbox; agent 1003 (sales and operator only) sees none.
/// </summary>
public sealed class VoicemailPageTests(BrowserFixture browser, VoicemailPageTests.Server fixture, ITestOutputHelper output)
    : IClassFixture<BrowserFixture>, IClassFixture<VoicemailPageTests.Server>
{
    private const string Caller = "+15550000063";

    /// <summary>The server of this class: the IVR's clock after hours.</summary>
    public sealed class Server : ConsoleServerFixture<VoicemailPageTests>
    {
        public override string Clock => IvrCalls.ClosedClock;
    }

    [Fact]
    public async Task MessageLeft_AlertLive_PlayedMarksHeard_MarkedHandled_AgentsSeeTheirMailboxesOnly()
    {
        ServerProcess server = fixture.Server;
        IPage wallboard = await browser.SignInAsync(server.HttpBase, "2001");
        string dir = RepoPaths.NewTempDirectory("browser-voicemail");
        short[] speech = WavFile.Read(TestAudio.Speech("Hello, this is Alice. Please call me back about my order.",
            Path.Combine(dir, "speech.wav"))).Mono();

        await using (PromiseCalls calls = PromiseCalls.For(server, Caller))
        {
            await calls.DialAsync(fixture.Ports);
            // A key in the welcome and one in the closed message skip them: straight to the beep.
            await Task.Delay(TimeSpan.FromSeconds(0.5));
            await calls.CallerRtp!.KeysAsync("1");
            await Task.Delay(TimeSpan.FromSeconds(1));
            await calls.CallerRtp.KeysAsync("1");
            await server.WaitForLogAsync("for mailbox support", TimeSpan.FromSeconds(30));
            calls.CallerRtp.Talk(speech, keep: true);
            DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (calls.CallerRtp.SentAudio.Length < speech.Length + 3200 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            await calls.Caller!.ByeAsync();
        }

        ILocator alert = wallboard.Locator("[data-testid=alerts] li[data-kind=voicemail]");
        await Assertions.Expect(alert).ToContainTextAsync($"Voicemail from {Caller} in mailbox support", new() { Timeout = 20000 });
        await alert.GetByRole(AriaRole.Link, new() { Name = "listen" }).ClickAsync();
        Assert.EndsWith("/voicemail", wallboard.Url, StringComparison.Ordinal);
        ILocator row = wallboard.GetByTestId("voicemail-row").Filter(new() { HasText = Caller });
        await Assertions.Expect(row.GetByTestId("voicemail-status")).ToHaveTextAsync("New");
        await Assertions.Expect(wallboard.GetByRole(AriaRole.Heading, new() { Name = "Messages (1, 1 new)" })).ToBeVisibleAsync();

        // Played (sped up): the server marks it heard by 2001 and the page shows it; then marked handled.
        await row.GetByTestId("voicemail-audio").EvaluateAsync("a => { a.playbackRate = 8; return a.play(); }");
        await Assertions.Expect(row.GetByTestId("voicemail-status")).ToHaveTextAsync("Heard", new() { Timeout = 10000 });
        await Assertions.Expect(row).ToContainTextAsync("by 2001");
        await BrowserFixture.ScreenshotAsync(wallboard, "voicemail");
        await row.GetByRole(AriaRole.Button, new() { Name = $"Mark the message from {Caller} handled" }).ClickAsync();
        await Assertions.Expect(row.GetByTestId("voicemail-status")).ToHaveTextAsync("Handled");
        await Assertions.Expect(row).ToContainTextAsync("handled by 2001 after");
        await Assertions.Expect(row.GetByRole(AriaRole.Button, new() { Name = $"Mark the message from {Caller} handled" })).ToBeDisabledAsync();

        // Agents: 1002 is in support (the message's mailbox), 1003 is not.
        IPage support = await browser.SignInAsync(server.HttpBase, "1002");
        await support.GetByRole(AriaRole.Link, new() { Name = "Voicemail" }).ClickAsync();
        await Assertions.Expect(support.GetByTestId("voicemail-row").Filter(new() { HasText = Caller })).ToContainTextAsync("Handled");
        IPage sales = await browser.SignInAsync(server.HttpBase, "1003");
        await sales.GotoAsync("/voicemail");
        await Assertions.Expect(sales.GetByText("No messages.")).ToBeVisibleAsync();
        output.WriteLine(await row.InnerTextAsync());
        browser.AssertNoCspViolations();
    }
}
