using System.Globalization;
using Telephony.Browser.Tests.Infrastructure;
using Telephony.Interop.Tests.Ivr;
using Telephony.Interop.Tests.Recording;

namespace Telephony.Browser.Tests;

/// <summary>
/// The agent desktop's browser phone against the real server: Chromium with a fake microphone playing 1 kHz signs in
/// as agent 1001 and turns the phone on (JsSIP over ws://…/sip, RFC 7118; credentials from the session); it registers,
/// which logs the agent in. A SIPp caller from the trunk presses 2 for the support queue and then plays 440 Hz; the
/// phone rings, the test clicks Answer, and the WebRTC leg (ICE-lite, DTLS-SRTP, Opus) carries audio both ways: the
/// page's remote stream holds the caller's 440 Hz (Goertzel in the page), and the server's recording holds the
/// browser's 1 kHz on the agent side. Screenshot: <c>browser-phone.png</c>. The pre-call test button calls echo 9000:
/// the page hears its own 700 Hz back and the level meter moves; after hold and resume (re-INVITEs) the echo is back.
/// </summary>
public sealed class BrowserPhoneTests(ITestOutputHelper output)
{
    private const string Caller = "+15550000042";

    private readonly PortBlock ports = PortAllocator.For<BrowserPhoneTests>();

    [Fact]
    public async Task Agent_phone_registers_over_websocket_and_answers_a_queue_call_with_audio_both_ways()
    {
        await using ServerProcess server = await IvrCalls.StartAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("browser-phone");
        string mic = Path.GetFullPath(TestAudio.Tone(1000, 60, Path.Combine(dir, "mic.wav")));

        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await PhonePages.LaunchAsync(playwright, mic);
        IPage page = await PhonePages.PhoneOnAsync(output, browser, server, "1001");
        await server.WaitForLogAsync("Agent 1001: LoggedOut -> Available", TimeSpan.FromSeconds(10));

        double welcome = WavFile.Read(RepoPaths.Sound("ivr/welcome")).Mono().Length / 8000.0;
        PcapSummary keys = IvrCalls.Keys(dir, welcome + 1.5, "2");
        PcapSummary talk = PcapBuilder.Write(Path.Combine(dir, "talk.pcap"),
            new PcapStream { Audio = WavFile.Read(TestAudio.Tone(440, 15, Path.Combine(dir, "caller.wav"))).Mono() });
        Task<SippResult> call = Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(0), ports.PeerMedia(0), Caller, keys,
            keys.DurationSeconds + 0.5, talk, talk.DurationSeconds + 1)); // a pause starts with its pcap: it covers it

        try
        {
            await page.GetByTestId("phone-ringing").WaitForAsync(new() { Timeout = 30000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the phone did not ring: {await page.Locator(".phone").InnerTextAsync()}\n{server.Describe(120)}");
        }
        await page.GetByTestId("phone-answer").ClickAsync();
        await page.Locator("[data-testid=phone-panel][data-call=connected]").WaitForAsync();
        await Task.Delay(1500); // past ICE/DTLS and the caller's first packets of the tone

        double heard = await page.EvaluateAsync<double>(PhonePages.RemoteToneShare, 440);
        await BrowserFixture.ScreenshotAsync(page, "browser-phone");
        output.WriteLine($"browser hears 440 Hz: {heard.ToString("0.00", CultureInfo.InvariantCulture)}");
        string errors = await page.GetByTestId("phone-panel").Locator("..").InnerTextAsync();

        SippResult result = await call;
        Assert.True(heard >= 0.5, $"the browser phone hears the caller's 440 Hz: {heard:0.00}\n{errors}\n{server.Describe(60)}");
        Assert.True(result.Succeeded, $"SIPp caller failed\n{result.Describe()}\n{server.Describe(60)}");

        // The server's recording (caller left, our side right): the browser's 1 kHz on the agent side.
        string? recording = await PhonePages.WaitForRecordingFileAsync(server);
        Assert.True(recording is not null, "no recording\n" + server.Describe(60));
        (short[] _, short[] right) = RecordingApi.Channels(WavFile.Read(recording!));
        double[] perSecond = QueueCalls.SharePerSecond(right, 1000);
        Assert.True(QueueCalls.FirstRun(perSecond, 0.7, 3) >= 0,
            $"the browser's 1 kHz on the recording's agent side: {QueueCalls.Dump(perSecond)}\n{server.Describe(60)}");
        await page.Locator("[data-testid=phone-panel][data-call=idle]").WaitForAsync();
    }

    [Fact]
    public async Task Pre_call_test_calls_echo_9000_hears_its_own_microphone_also_after_hold_and_resume()
    {
        await using ServerProcess server = await IvrCalls.StartAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("browser-phone-echo");
        string mic = Path.GetFullPath(TestAudio.Tone(700, 60, Path.Combine(dir, "mic.wav")));
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await PhonePages.LaunchAsync(playwright, mic);
        IPage page = await PhonePages.PhoneOnAsync(output, browser, server, "1002");

        await page.GetByTestId("phone-test").ClickAsync();
        await page.Locator("[data-testid=phone-panel][data-call=connected]").WaitForAsync();
        await Task.Delay(1500);
        double echoed = await page.EvaluateAsync<double>(PhonePages.RemoteToneShare, 700);
        double level = await page.GetByTestId("phone-level").EvaluateAsync<double>("m => m.value");
        output.WriteLine($"echo 700 Hz share {echoed:0.00}, mic level {level:0.00}");
        Assert.True(echoed >= 0.5, $"echo 9000 returns the browser's 700 Hz: {echoed:0.00}\n{server.Describe(40)}");
        Assert.True(level > 0.05, $"the level meter moves with the microphone: {level:0.00}");
        Assert.Contains("Echo test", await page.GetByTestId("phone-connected").InnerTextAsync(), StringComparison.Ordinal);

        // Hold and resume are re-INVITEs over the WebSocket on the WebRTC leg; the echo comes back afterwards.
        await page.GetByTestId("phone-hold").ClickAsync();
        await page.GetByTestId("phone-connected").GetByText("(on hold)").WaitForAsync();
        await page.GetByTestId("phone-hold").ClickAsync();
        await page.Locator("[data-testid=phone-hold]", new() { HasText = "Hold" }).WaitForAsync();
        await Task.Delay(1000);
        double resumed = await page.EvaluateAsync<double>(PhonePages.RemoteToneShare, 700);
        Assert.True(resumed >= 0.5, $"echo after hold and resume: {resumed:0.00}\n{server.Describe(40)}");

        await page.GetByTestId("phone-hangup").ClickAsync();
        await page.Locator("[data-testid=phone-panel][data-call=idle]").WaitForAsync();
        await server.WaitForLogAsync("ended after", TimeSpan.FromSeconds(10));
    }
}
