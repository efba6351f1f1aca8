using Telephony.Browser.Tests.Infrastructure;
using Telephony.Interop.Tests.Ivr;

namespace Telephony.Browser.Tests;

/// <summary>
/// The agent desktop over HTTPS (port 8443's test twin, the server's self-signed certificate accepted by Chromium's
/// <c>--ignore-certificate-errors</c>, in this test only): the phone registers over <c>wss://…/sip</c>, answers a SIPp
/// queue caller and hears its 440 Hz. Before that, a key of the page's pad in the pre-call test (echo 9000) arrives at
/// the server as an RFC 4733 telephone-event on the WebRTC leg.
/// </summary>
public sealed class BrowserPhoneWssTests(ITestOutputHelper output)
{
    private const string Caller = "+15550000045";

    private readonly PortBlock ports = PortAllocator.For<BrowserPhoneWssTests>();

    [Fact]
    public async Task Phone_over_wss_sends_rfc4733_digits_from_its_keypad_and_answers_a_queue_call_with_audio()
    {
        await using ServerProcess server = await IvrCalls.StartAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("browser-phone-wss");
        string mic = Path.GetFullPath(TestAudio.Tone(1000, 60, Path.Combine(dir, "mic.wav")));
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await PhonePages.LaunchAsync(playwright, mic, "--ignore-certificate-errors");
        IPage page = await PhonePages.PhoneOnAsync(output, browser, server, "1001", new Uri($"https://127.0.0.1:{ports.Https}/"));
        await server.WaitForLogAsync("REGISTER 1001 from wss:", TimeSpan.FromSeconds(10));
        await server.WaitForLogAsync("Agent 1001: LoggedOut -> Available", TimeSpan.FromSeconds(10));
        await page.GetByTestId("phone-test").ClickAsync();
        await page.Locator("[data-testid=phone-panel][data-call=connected]").WaitForAsync();
        await Task.Delay(1000);
        await page.GetByRole(AriaRole.Group, new() { Name = "Keypad" }).GetByRole(AriaRole.Button, new() { Name = "7", Exact = true }).ClickAsync();
        await Task.Delay(1000);
        await server.WaitForLogAsync("'7'' received on", TimeSpan.FromSeconds(5)); // an RFC 4733 event on the echo leg
        await page.GetByTestId("phone-hangup").ClickAsync();
        await page.Locator("[data-testid=phone-panel][data-call=idle]").WaitForAsync();

        double welcome = WavFile.Read(RepoPaths.Sound("ivr/welcome")).Mono().Length / 8000.0;
        PcapSummary keys = IvrCalls.Keys(dir, welcome + 1.5, "2");
        PcapSummary talk = PcapBuilder.Write(Path.Combine(dir, "talk.pcap"),
            new PcapStream { Audio = WavFile.Read(TestAudio.Tone(440, 15, Path.Combine(dir, "caller.wav"))).Mono() });
        Task<SippResult> call = Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(0), ports.PeerMedia(0), Caller, keys,
            keys.DurationSeconds + 0.5, talk, talk.DurationSeconds + 1));

        await page.GetByTestId("phone-ringing").WaitForAsync(new() { Timeout = 30000 });
        await page.GetByTestId("phone-answer").ClickAsync();
        await page.Locator("[data-testid=phone-panel][data-call=connected]").WaitForAsync();
        await server.WaitForLogAsync("agent 1001 answered at wss:", TimeSpan.FromSeconds(5));
        await Task.Delay(1500);
        double heard = await page.EvaluateAsync<double>(PhonePages.RemoteToneShare, 440);
        Assert.True(heard >= 0.5, $"the phone over wss hears the caller's 440 Hz: {heard:0.00}\n{server.Describe(60)}");

        SippResult result = await call;
        Assert.True(result.Succeeded, $"SIPp caller failed\n{result.Describe()}\n{server.Describe(60)}");
    }
}
