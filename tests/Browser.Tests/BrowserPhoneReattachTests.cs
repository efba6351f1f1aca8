using System.Globalization;
using Telephony.Browser.Tests.Infrastructure;
using Telephony.Interop.Tests.Ivr;
using Telephony.Interop.Tests.Recording;

namespace Telephony.Browser.Tests;

/// <summary>
/// The browser phone survives a page reload: agent 1001 (fake microphone 1 kHz) answers a SIPp queue caller playing
/// 440 Hz, then the test reloads the page mid-call. The page sends no BYE; its SIP WebSocket closes, the server parks the
/// caller (hold music) and, when the reloaded page registers again, re-INVITEs it with <c>X-Telephony-Reattach</c>; the
/// page answers on its own and the same call goes on: the page hears the caller's 440 Hz again, and the server's
/// recording has the browser's 1 kHz on the agent side before the reload and again after it (the gap is short).
/// </summary>
public sealed class BrowserPhoneReattachTests(ITestOutputHelper output)
{
    private const string Caller = "+15550000043";

    private readonly PortBlock ports = PortAllocator.For<BrowserPhoneReattachTests>();

    [Fact]
    public async Task Agent_page_reloaded_mid_call_is_reattached_to_the_same_caller_with_audio_both_ways()
    {
        await using ServerProcess server = await IvrCalls.StartAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("browser-phone-reattach");
        string mic = Path.GetFullPath(TestAudio.Tone(1000, 120, Path.Combine(dir, "mic.wav")));

        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await PhonePages.LaunchAsync(playwright, mic);
        IPage page = await PhonePages.PhoneOnAsync(output, browser, server, "1001");
        await server.WaitForLogAsync("Agent 1001: LoggedOut -> Available", TimeSpan.FromSeconds(10));

        double welcome = WavFile.Read(RepoPaths.Sound("ivr/welcome")).Mono().Length / 8000.0;
        PcapSummary keys = IvrCalls.Keys(dir, welcome + 1.5, "2");
        PcapSummary talk = PcapBuilder.Write(Path.Combine(dir, "talk.pcap"),
            new PcapStream { Audio = WavFile.Read(TestAudio.Tone(440, 35, Path.Combine(dir, "caller.wav"))).Mono() });
        Task<SippResult> call = Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(0), ports.PeerMedia(0), Caller, keys,
            keys.DurationSeconds + 0.5, talk, talk.DurationSeconds + 1));

        await page.GetByTestId("phone-ringing").WaitForAsync(new() { Timeout = 30000 });
        await page.GetByTestId("phone-answer").ClickAsync();
        await page.Locator("[data-testid=phone-panel][data-call=connected]").WaitForAsync();
        await Task.Delay(1500);
        double before = await page.EvaluateAsync<double>(PhonePages.RemoteToneShare, 440);
        Assert.True(before >= 0.5, $"the phone hears the caller before the reload: {before:0.00}\n{server.Describe(60)}");

        await Task.Delay(2000); // a few seconds of the browser's 1 kHz on the recording before the reload
        await page.ReloadAsync();
        try
        {
            await page.Locator("[data-testid=phone-panel][data-call=connected]").WaitForAsync(new() { Timeout = 20000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the reloaded page was not re-attached: {await page.Locator(".phone").InnerTextAsync()}\n{server.Describe(120)}");
        }
        await server.WaitForLogAsync("re-attached to caller", TimeSpan.FromSeconds(5));
        await Task.Delay(1500);
        double after = await page.EvaluateAsync<double>(PhonePages.RemoteToneShare, 440);
        await BrowserFixture.ScreenshotAsync(page, "browser-phone-reattached");
        output.WriteLine($"440 Hz heard before the reload {before:0.00}, after {after:0.00}");
        Assert.True(after >= 0.5, $"the reloaded phone hears the same caller: {after:0.00}\n{server.Describe(80)}");
        Assert.DoesNotContain("caller hung up", server.Describe(200), StringComparison.Ordinal);

        SippResult result = await call;
        Assert.True(result.Succeeded, $"the SIPp caller stayed on through the reload\n{result.Describe()}\n{server.Describe(80)}");

        // The server's recording (caller left, what the caller hears right): the browser's 1 kHz, a gap, the 1 kHz again.
        string? recording = await PhonePages.WaitForRecordingFileAsync(server);
        Assert.True(recording is not null, "no recording\n" + server.Describe(60));
        (short[] _, short[] right) = RecordingApi.Channels(WavFile.Read(recording!));
        double[] perSecond = QueueCalls.SharePerSecond(right, 1000);
        string dump = QueueCalls.Dump(perSecond);
        output.WriteLine("1 kHz per second on the agent side: " + dump);
        int first = QueueCalls.FirstRun(perSecond, 0.7, 2);
        Assert.True(first >= 0, $"the browser's 1 kHz before the reload: {dump}");
        // The caller talks for 35 s, long after the re-attach (about 5 s in): the end of the call is the new leg's audio.
        // (The gap itself is often under a second: the reload re-attaches that fast.)
        double[] tail = perSecond[^6..^2];
        Assert.True(tail.All(s => s >= 0.7), string.Create(CultureInfo.InvariantCulture, $"the browser's 1 kHz after the re-attach: {dump}"));
    }
}
