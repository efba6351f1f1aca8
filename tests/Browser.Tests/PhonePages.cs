using Telephony.Browser.Tests.Infrastructure;
using Telephony.Interop.Tests.Ivr;

namespace Telephony.Browser.Tests;

/// <summary>What the browser phone tests share: Chromium with a fake microphone, signing in with the phone on, the tone
/// heard by the page (Goertzel in the page) and the server's recording.</summary>
internal static class PhonePages
{
    /// <summary>Page script: the median share of <c>hz</c> over 24 blocks of 4096 samples (~2 s) of the phone's remote stream
    /// (Goertzel per block over WebAudio samples, so a glitch between blocks does not smear the tone).</summary>
    public const string RemoteToneShare = """
        async (hz) => {
          const stream = document.querySelector('[data-testid=phone-remote-audio]').srcObject;
          if (!stream) return -1;
          const ctx = new AudioContext();
          await ctx.resume();
          const source = ctx.createMediaStreamSource(stream);
          const tap = ctx.createScriptProcessor(4096, 1, 1);
          const c = 2 * Math.cos(2 * Math.PI * hz / ctx.sampleRate);
          const shares = [];
          await new Promise(done => {
            tap.onaudioprocess = e => {
              const block = e.inputBuffer.getChannelData(0);
              let s1 = 0, s2 = 0, total = 0;
              for (const x of block) { const s0 = x + c * s1 - s2; s2 = s1; s1 = s0; total += x * x; }
              shares.push(total === 0 ? 0 : 2 * (s1 * s1 + s2 * s2 - c * s1 * s2) / (total * block.length));
              if (shares.length >= 24) done();
            };
            source.connect(tap); tap.connect(ctx.destination);
          });
          tap.disconnect(); source.disconnect(); await ctx.close();
          shares.sort((a, b) => a - b);
          return shares[shares.length >> 1];
        }
        """;

    /// <summary>Chromium whose fake microphone plays <paramref name="micWav"/>, media auto-granted, loopback ICE allowed.</summary>
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright, string micWav, params string[] extraArgs) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFixture.ChromiumPath,
            Args =
            [
                "--no-sandbox", "--disable-dev-shm-usage", "--autoplay-policy=no-user-gesture-required",
                "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                "--use-file-for-fake-audio-capture=" + micWav, "--allow-loopback-in-peer-connection", .. extraArgs,
            ],
        });

    /// <summary>Signs in as <paramref name="user"/>, turns the browser phone on and waits until it is registered: on the
    /// agent desktop, or on the page at <paramref name="path"/> (e.g. <c>/supervisor</c>, whose root has that test id).</summary>
    public static async Task<IPage> PhoneOnAsync(ITestOutputHelper output, IBrowser browser, ServerProcess server, string user,
        Uri? baseUrl = null, string? path = null)
    {
        IBrowserContext context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            BaseURL = (baseUrl ?? server.HttpBase).ToString().TrimEnd('/'),
        });
        IPage page = await context.NewPageAsync();
        page.SetDefaultTimeout(15000);
        page.Console += (_, m) => output.WriteLine($"[page {m.Type}] {m.Text}");
        page.PageError += (_, e) => output.WriteLine($"[page exception] {e}");
        await page.GotoAsync("/");
        await page.GetByLabel("User (extension or account)").FillAsync(user);
        await page.GetByLabel("Password").FillAsync("pass" + user);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        if (path is null)
        {
            await page.GetByTestId("agent-desktop").WaitForAsync();
        }
        else
        {
            await page.GetByTestId("who").WaitForAsync();
            await page.GotoAsync(path);
            await page.GetByTestId(path.Trim('/')).WaitForAsync();
        }
        await page.GetByTestId("phone-enable").ClickAsync();
        try
        {
            await page.Locator("[data-testid=phone-panel][data-registration=registered]").WaitForAsync();
        }
        catch (TimeoutException)
        {
            Assert.Fail($"the phone did not register: {await page.Locator(".phone").InnerTextAsync()}\n{server.Describe(80)}");
        }
        return page;
    }

    /// <summary>The newest recording once its size has stopped changing (closed with the call), or null after 15 s.</summary>
    public static async Task<string?> WaitForRecordingFileAsync(ServerProcess server)
    {
        string folder = Path.Combine(server.DataDirectory, "recordings");
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        long lastSize = -1;
        while (DateTime.UtcNow < deadline)
        {
            string? file = Directory.Exists(folder)
                ? Directory.EnumerateFiles(folder, "*.wav", SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
                : null;
            long size = file is null ? -1 : new FileInfo(file).Length;
            if (file is not null && size > 44 && size == lastSize)
            {
                return file;
            }
            lastSize = size;
            await Task.Delay(1000);
        }
        return null;
    }
}
