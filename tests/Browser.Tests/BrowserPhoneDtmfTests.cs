using System.Diagnostics;
using Telephony.Interop.Tests.Ivr;

namespace Telephony.Browser.Tests;

/// <summary>
/// A key pressed on the browser phone's pad chooses an IVR branch: agent 1001's page dials the support line 08001234567
/// (the browser's INVITE carries the offer, Opus with telephone-event/48000) and presses 3 during the greeting (barge-in
/// keeps it for the menu): the IVR takes the account-number branch. The key is pressed as soon as the call is connected;
/// the panel holds it until DTLS is up (before that Chromium's RTCDTMFSender cannot insert DTMF). The server-offered
/// direction (a queue call answered in the page, keys as telephone-event/8000) is in <see cref="BrowserSupervisionTests"/>.
/// </summary>
public sealed class BrowserPhoneDtmfTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<BrowserPhoneDtmfTests>();

    [Fact]
    public async Task A_key_pressed_on_the_page_chooses_an_ivr_branch()
    {
        var clock = Stopwatch.StartNew();
        await using ServerProcess server = await IvrCalls.StartAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("browser-phone-dtmf");
        string mic = Path.GetFullPath(TestAudio.Tone(1000, 30, Path.Combine(dir, "mic.wav")));

        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await PhonePages.LaunchAsync(playwright, mic);
        IPage page = await PhonePages.PhoneOnAsync(output, browser, server, "1001");

        // The page calls the IVR (its INVITE carries the offer) and picks "3" (account number) during the greeting.
        int from = server.Log.Count;
        await page.GetByTestId("phone-number").FillAsync("08001234567");
        await page.GetByTestId("phone-call").ClickAsync();
        await page.Locator("[data-testid=phone-panel][data-call=connected]").WaitForAsync();
        await page.GetByTestId("phone-key-3").ClickAsync(); // at once: the panel holds the key until DTLS is up
        try
        {
            await server.WaitForLogAsync("'3'' from the caller", TimeSpan.FromSeconds(12), from);
        }
        catch (TimeoutException)
        {
            using var http = new HttpClient();
            string drops = string.Join("\n", (await http.GetStringAsync(new Uri(server.HttpBase, "metrics"))).Split('\n')
                .Where(l => l.StartsWith("telephony_media_packets_dropped_total", StringComparison.Ordinal)));
            Assert.Fail($"the caller's key 3 did not reach the IVR; panel: {await page.Locator(".phone").InnerTextAsync()}\n" +
                $"{drops}\n{server.Describe(60)}");
        }
        await page.GetByTestId("phone-hangup").ClickAsync();
        string ended = await Wait(server, "IVR ended", from, "the IVR call's end");
        Assert.Contains("at account-number", ended, StringComparison.Ordinal);
        output.WriteLine($"test took {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static async Task<string> Wait(ServerProcess server, string text, int fromLine, string what)
    {
        try
        {
            return await server.WaitForLogAsync(text, TimeSpan.FromSeconds(8), fromLine);
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{what}: no '{text}' in the server's log\n{server.Describe(80)}");
            throw;
        }
    }
}
