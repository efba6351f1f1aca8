using Telephony.Browser.Tests.Infrastructure;
using Telephony.Interop.Tests.Ivr;
using Telephony.Interop.Tests.Recording;

namespace Telephony.Browser.Tests;

/// <summary>
/// Protocol interoperability with browser SIP stacks that are not our UI: a plain JsSIP page and a plain SIP.js page
/// (npm packages as they come; <c>/interop/*.html</c>, served with <c>http.interopPages: on</c>) register agent 1001 over
/// <c>ws://…/sip</c> with its password and answer a SIPp queue caller on their own. The page hears the caller's 440 Hz
/// (Goertzel in the page) and the server's recording holds the page's 1 kHz microphone on the agent side.
/// </summary>
public sealed class BrowserPhoneInteropTests(ITestOutputHelper output)
{
    private const string Caller = "+15550000044";

    private readonly PortBlock ports = PortAllocator.For<BrowserPhoneInteropTests>();

    [Theory]
    [InlineData("jssip")]
    [InlineData("sipjs")]
    public async Task Plain_library_page_registers_over_websocket_and_answers_a_queue_call_with_audio_both_ways(string library)
    {
        await using ServerProcess server = await ServerProcess.StartReadyAsync(ports, output, new Dictionary<string, string?>
        {
            ["TELEPHONY_IVR__CLOCK"] = IvrCalls.OpenClock,
            ["TELEPHONY_PATHS__CONFIGDIRECTORY"] = RepoPaths.ConfigDirectory,
            ["TELEPHONY_HTTP__INTEROPPAGES"] = "on",
        });
        string dir = RepoPaths.NewTempDirectory("browser-interop-" + library);
        string mic = Path.GetFullPath(TestAudio.Tone(1000, 60, Path.Combine(dir, "mic.wav")));
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await PhonePages.LaunchAsync(playwright, mic);
        IBrowserContext context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.HttpBase.ToString().TrimEnd('/') });
        IPage page = await context.NewPageAsync();
        page.Console += (_, m) => output.WriteLine($"[page {m.Type}] {m.Text}");
        await page.GotoAsync($"/interop/{library}.html?user=1001&password=pass1001");
        await WaitForTitleAsync(page, server, "registered");
        await server.WaitForLogAsync("Agent 1001: LoggedOut -> Available", TimeSpan.FromSeconds(10));

        double welcome = WavFile.Read(RepoPaths.Sound("ivr/welcome")).Mono().Length / 8000.0;
        PcapSummary keys = IvrCalls.Keys(dir, welcome + 1.5, "2");
        PcapSummary talk = PcapBuilder.Write(Path.Combine(dir, "talk.pcap"),
            new PcapStream { Audio = WavFile.Read(TestAudio.Tone(440, 12, Path.Combine(dir, "caller.wav"))).Mono() });
        Task<SippResult> call = Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(0), ports.PeerMedia(0), Caller, keys,
            keys.DurationSeconds + 0.5, talk, talk.DurationSeconds + 1));

        await WaitForTitleAsync(page, server, "connected", 40000);
        await Task.Delay(1500);
        string script = PhonePages.RemoteToneShare.Replace("document.querySelector('[data-testid=phone-remote-audio]')",
            "document.getElementById('remote')", StringComparison.Ordinal);
        double heard = await page.EvaluateAsync<double>(script, 440);
        output.WriteLine($"{library} page hears 440 Hz: {heard:0.00}");
        Assert.True(heard >= 0.5, $"the {library} page hears the caller's 440 Hz: {heard:0.00}\n{server.Describe(60)}");

        SippResult result = await call;
        Assert.True(result.Succeeded, $"SIPp caller failed\n{result.Describe()}\n{server.Describe(60)}");
        string? recording = await PhonePages.WaitForRecordingFileAsync(server);
        Assert.True(recording is not null, "no recording\n" + server.Describe(60));
        (short[] _, short[] right) = RecordingApi.Channels(WavFile.Read(recording!));
        double[] perSecond = QueueCalls.SharePerSecond(right, 1000);
        Assert.True(QueueCalls.FirstRun(perSecond, 0.7, 3) >= 0,
            $"the {library} page's 1 kHz on the recording's agent side: {QueueCalls.Dump(perSecond)}\n{server.Describe(60)}");
    }

    private static async Task WaitForTitleAsync(IPage page, ServerProcess server, string title, int timeoutMs = 20000)
    {
        try
        {
            await page.WaitForFunctionAsync("t => document.title === t", title, new() { Timeout = timeoutMs });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"page title '{await page.TitleAsync()}', expected '{title}'\n{server.Describe(80)}");
        }
    }
}
