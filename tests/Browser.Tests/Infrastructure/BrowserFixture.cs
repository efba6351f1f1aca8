namespace Telephony.Browser.Tests.Infrastructure;

/// <summary>
/// One headless Chromium per test class (Debian's <c>/usr/lib/chromium/chromium</c> driven by Playwright, no browser
/// download): <see cref="SignInAsync"/> opens a fresh context (own cookies) at 1280×720, signs in through the console's
/// form and lands on the role's home page. Screenshots go to <c>TestResults/browser-screenshots/</c>.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
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
        });
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

    /// <summary>Saves a full-page PNG as <c>TestResults/browser-screenshots/&lt;name&gt;.png</c>.</summary>
    public static Task ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }
}
