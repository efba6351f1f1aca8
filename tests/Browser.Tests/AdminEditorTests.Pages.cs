using System.Net;
using System.Net.Http.Json;
using Telephony.Browser.Tests.Infrastructure;

namespace Telephony.Browser.Tests;

/// <summary>
/// The other pages on the admin class's server (no call needed): the queues editor (validated, versioned), the users and
/// roles list, the IVR flow drawn as SVG, the wallboard's big-screen mode at 1920×1080, and an expired session: the
/// sign-in form comes back as a dialog over the agent desktop and what was typed there is still there after signing in.
/// </summary>
public sealed partial class AdminEditorTests
{
    [Fact]
    public async Task QueuesEditor_UsersList_IvrFlowDrawnAsSvg()
    {
        ServerProcess server = fixture.Server;
        IPage page = await browser.SignInAsync(server.HttpBase, "admin");
        await page.GetByRole(AriaRole.Link, new() { Name = "Queues", Exact = true }).ClickAsync();
        ILocator queues = page.GetByTestId("editor-queues");
        await Assertions.Expect(queues.GetByTestId("valid")).ToBeVisibleAsync();
        await Assertions.Expect(queues.GetByTestId("code-editor")).ToContainTextAsync("name: support");
        await Assertions.Expect(queues.GetByTestId("version-row").First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(page, "admin-queues");

        await page.GetByRole(AriaRole.Link, new() { Name = "Users", Exact = true }).ClickAsync();
        ILocator users = page.GetByTestId("users");
        await Assertions.Expect(users.Locator("tr", new() { HasText = "1001" })).ToContainTextAsync("agent");
        await Assertions.Expect(users.Locator("tr", new() { HasText = "2001" })).ToContainTextAsync("supervisor");
        await Assertions.Expect(users.Locator("tr", new() { HasText = "admin" }).First).ToBeVisibleAsync();

        // The flow graph: one SVG per flow, the sample's nodes as boxes, the start on top and main-menu below the greeting.
        await page.GetByRole(AriaRole.Link, new() { Name = "IVR", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("valid")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Show the flow graph" }).ClickAsync();
        ILocator main = page.Locator("[data-testid=flow-graph][data-flow=support-line]");
        await Assertions.Expect(main.Locator("svg[role=img]")).ToBeVisibleAsync();
        ILocator menu = main.Locator("[data-node=mainmenu]");
        await Assertions.Expect(menu).ToContainTextAsync("main-menu");
        Assert.True(await main.GetByTestId("flow-node").CountAsync() >= 15, "the sample's nodes are drawn");
        var start = (await main.Locator("[data-node=_start] rect").BoundingBoxAsync())!;
        var greeting = (await main.Locator("[data-node=greeting] rect").BoundingBoxAsync())!;
        var menuBox = (await menu.Locator("rect").BoundingBoxAsync())!;
        Assert.True(start.Y < greeting.Y && greeting.Y < menuBox.Y, $"top to bottom: start {start.Y}, greeting {greeting.Y}, menu {menuBox.Y}");
        await Assertions.Expect(main.Locator("[data-from=mainmenu][data-to=tosupport] text")).ToHaveTextAsync("digit:2");
        await Assertions.Expect(main.Locator("svg desc")).ToContainTextAsync("main-menu → to-support (digit:2)");
        await main.ScrollIntoViewIfNeededAsync();
        await main.ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "ivr-graph.png") });
        browser.AssertNoCspViolations();
    }

    [Fact]
    public async Task WallboardBigScreen_HeaderHidden_LargerFigures_BackWithOneClick()
    {
        ServerProcess server = fixture.Server;
        IPage page = await browser.SignInAsync(server.HttpBase, "2001", 1920, 1080);
        double normal = await FontSizeAsync(page);
        await page.GotoAsync("/wallboard?tv=1");
        ILocator leave = page.GetByRole(AriaRole.Button, new() { Name = "Leave big screen" });
        await Assertions.Expect(leave).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(page.Locator("header.top")).ToBeHiddenAsync();
        await Assertions.Expect(page.GetByTestId("tile-sl")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("agent-1001")).ToBeVisibleAsync();
        double big = await FontSizeAsync(page);
        Assert.True(big > normal * 1.4, $"big-screen figures {big}px vs {normal}px");
        await BrowserFixture.ScreenshotAsync(page, "wallboard-tv", fullPage: false);
        await leave.ClickAsync();
        await Assertions.Expect(page.Locator("header.top")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Big screen" })).ToHaveAttributeAsync("aria-pressed", "false");
        browser.AssertNoCspViolations();
    }

    [Fact]
    public async Task ExpiredSession_SignInDialogOverThePage_TypedNotesKept()
    {
        ServerProcess server = fixture.Server;
        IPage desk = await browser.SignInAsync(server.HttpBase, "1003");
        const string notes = "Caller 0612: wants the March invoice split in two.";
        await desk.GetByLabel("Notes").FillAsync(notes);

        // The admin revokes 1003's sessions; the next request of the page gets 401 (the page may make one by itself as its
        // event stream is cut: the click is dispatched even when the dialog already covers the button).
        using (HttpResponseMessage revoked = await Admin.PostAsJsonAsync(new Uri(server.HttpBase, "api/auth/revoke"), new { user = "1003" }))
        {
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }
        await desk.GetByRole(AriaRole.Button, new() { Name = "Available" }).DispatchEventAsync("click");
        ILocator dialog = desk.GetByRole(AriaRole.Dialog);
        await Assertions.Expect(dialog).ToContainTextAsync("Session expired");
        await Assertions.Expect(dialog.GetByLabel("User (extension or account)")).ToHaveValueAsync("1003");
        await Assertions.Expect(dialog.GetByLabel("Password")).ToBeFocusedAsync();
        await BrowserFixture.ScreenshotAsync(desk, "session-expired", fullPage: false);
        await dialog.GetByLabel("Password").FillAsync("pass1003");
        await dialog.GetByLabel("Password").PressAsync("Enter");
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(desk.GetByLabel("Notes")).ToHaveValueAsync(notes);
        await Assertions.Expect(desk.Locator("[data-testid=stream-state][data-state=live]")).ToBeVisibleAsync();
        await desk.GetByRole(AriaRole.Button, new() { Name = "Available" }).ClickAsync();
        await Assertions.Expect(desk.GetByTestId("agent-state")).ToContainTextAsync("Available");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Assertions.Expect(desk.GetByTestId("agent-state")).ToContainTextAsync("Logged out");
        browser.AssertNoCspViolations();
    }

    private static Task<double> FontSizeAsync(IPage page) =>
        page.GetByTestId("tile-waiting").Locator(".tile-value").EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
}
