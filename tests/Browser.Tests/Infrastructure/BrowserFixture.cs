using System.Collections.Concurrent;

namespace Telephony.Browser.Tests.Infrastructure;

/// <summary>
/// One headless Chromium per test class (Debian's <c>/usr/lib/chromium/chromium</c> driven by Playwright, no browser
/// download): <see cref="SignInAsync"/> opens a fresh context (own cookies) at 1280×720, signs in through the console's
/// form and lands on the role's home page. Every Content-Security-Policy violation a page reports is collected
/// (<see cref="AssertNoCspViolations"/>). Screenshots go to <c>TestResults/browser-screenshots/</c>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> cspViolations = new();
    /// <summary>Debian's Chromium binary (the <c>/usr/bin/chromium</c> wrapper execs it).</summary>
    public const string ChromiumPath = "/usr/lib/chromium/chromium";

    private IPlaywright? playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where screenshots are written.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(RepoPaths.Root, "TestResults", "browser-screenshots");

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException($"{ChromiumPath} is missing: apt-get install chromium (scripts/test.sh does)");
        }
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Args = ["--no-sandbox", "--autoplay-policy=no-user-gesture-required", "--disable-dev-shm-usage"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public async Task DisposeAsync()
    {
        await Browser.CloseAsync();
        playwright?.Dispose();
    }

    /// <summary>A new context signed in as <paramref name="user"/> (sample password) through the sign-in form.</summary>
    public async Task<IPage> SignInAsync(Uri server, string user, int width = 1280, int height = 720)
    {
        ArgumentNullException.ThrowIfNull(server);
        IBrowserContext context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            BaseURL = server.ToString().TrimEnd('/'),
            // The admin's editor is filled as a person would: select all, paste.
            Permissions = ["clipboard-read", "clipboard-write"],
        });
        context.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
            {
                cspViolations.Enqueue($"{message.Location} ({user}): {message.Text}");
            }
        };
        IPage page = await context.NewPageAsync();
        page.SetDefaultTimeout(15000);
        await page.GotoAsync("/");
        await page.GetByLabel("User (extension or account)").FillAsync(user);
        await page.GetByLabel("Password").FillAsync("pass" + user);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.GetByTestId("who").WaitForAsync();
        await page.Locator("[data-testid=stream-state][data-state=live]").WaitForAsync();
        return page;
    }

    /// <summary>
    /// Fails when a page reported a CSP violation since the last call (except those <paramref name="allowed"/> says are
    /// expected), then forgets them.
    /// </summary>
    public void AssertNoCspViolations(Func<string, bool>? allowed = null)
    {
        var seen = new List<string>();
        while (cspViolations.TryDequeue(out string? violation))
        {
            seen.Add(violation);
        }
        string[] unexpected = seen.Where(v => allowed?.Invoke(v) != true).ToArray();
        Assert.True(unexpected.Length == 0, "CSP violations:\n" + string.Join("\n", unexpected));
    }

    /// <summary>Saves a PNG of the whole page (or of the viewport) as <c>TestResults/browser-screenshots/&lt;name&gt;.png</c>.</summary>
    public static Task ScreenshotAsync(IPage page, string name, bool fullPage = true)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = fullPage });
    }
}
