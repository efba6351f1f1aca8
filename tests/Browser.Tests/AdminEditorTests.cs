using System.Text.Json;
using Telephony.Browser.Tests.Infrastructure;
using Telephony.Interop.Tests.Ivr;

namespace Telephony.Browser.Tests;

/// <summary>
/// The admin's pages on one server with a copy of config/. The IVR editor: a tree with a typo is refused with the error
/// at its line (listed, and marked in the editor's gutter with the message on hover) and nothing is deployed; a good
/// tree (a new <c>web-mark</c> set node before the greeting) is saved, deployed by the hot reload and used by the next
/// trunk call (its IVR path starts at the new node); one click rolls back to the first version, which is back on disk
/// and used by the call after that. The interactive API reference (Scalar) renders under its own per-response CSP.
/// </summary>
public sealed partial class AdminEditorTests(BrowserFixture browser, AdminEditorTests.Server fixture, ITestOutputHelper output)
    : IClassFixture<BrowserFixture>, IClassFixture<AdminEditorTests.Server>
{
    private static readonly HttpClient Admin = AuthenticatedHttp.Create(TimeSpan.FromSeconds(20));

    /// <summary>The server of this class, on a copy of config/ the editor may change.</summary>
    public sealed class Server : ConsoleServerFixture<AdminEditorTests>
    {
        public override string? ConfigDirectory { get; } = IvrCalls.ConfigCopy("browser-admin", q => q);
    }

    [Fact]
    public async Task TypoShownAtItsLine_GoodTreeUsedByNextCall_RollBackInOneClick()
    {
        ServerProcess server = fixture.Server;
        string file = Path.Combine(fixture.ConfigDirectory!, "ivr.yaml");
        string original = File.ReadAllText(file);
        IPage page = await browser.SignInAsync(server.HttpBase, "admin");
        Assert.EndsWith("/admin", page.Url, StringComparison.Ordinal);
        await page.GotoAsync("/admin/ivr");
        await Assertions.Expect(page.GetByTestId("valid")).ToBeVisibleAsync();

        string good = original
            .Replace("    start: greeting\n", "    start: web-mark\n", StringComparison.Ordinal)
            .Replace("      greeting:\n", "      web-mark:\n        type: set\n        tags: [web]\n        next: greeting\n\n      greeting:\n", StringComparison.Ordinal);
        Assert.Contains("start: web-mark", good, StringComparison.Ordinal);
        string typo = good.Replace("        type: set\n        tags: [web]", "        type: sett\n        tags: [web]", StringComparison.Ordinal);
        int typoLine = typo.Split('\n').ToList().FindIndex(l => l.Contains("type: sett", StringComparison.Ordinal)) + 1;

        await PasteAsync(page, typo);
        await Assertions.Expect(page.GetByTestId("problems")).ToContainTextAsync($"ivr.yaml:{typoLine}:");
        // The problem's location jumps to its line; the gutter marks that line, and its tooltip says what is wrong.
        await page.GetByTestId("problems").GetByRole(AriaRole.Button).First.ClickAsync();
        ILocator activeLine = page.Locator(".cm-activeLine");
        await Assertions.Expect(activeLine).ToContainTextAsync("type: sett");
        ILocator marker = page.Locator(".cm-gutter-lint .cm-lint-marker-error");
        await Assertions.Expect(marker).ToHaveCountAsync(1);
        var markerBox = (await marker.BoundingBoxAsync())!;
        var lineBox = (await activeLine.BoundingBoxAsync())!;
        Assert.InRange(markerBox.Y + (markerBox.Height / 2), lineBox.Y, lineBox.Y + lineBox.Height);
        await marker.HoverAsync();
        await Assertions.Expect(page.Locator(".cm-tooltip-lint")).ToContainTextAsync("unknown node type 'sett'");
        // Keyboard: Escape then Tab leaves the editor (Tab alone indents), to the problem's location.
        await page.GetByTestId("code-editor").FocusAsync();
        await page.Keyboard.PressAsync("Escape");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("BUTTON", await page.EvaluateAsync<string>("() => document.activeElement?.tagName"));
        await page.GetByTestId("save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("save-status")).ToContainTextAsync("Not saved");
        await BrowserFixture.ScreenshotAsync(page, "admin-ivr-error");
        Assert.Equal(original, File.ReadAllText(file));

        await PasteAsync(page, good);
        await Assertions.Expect(page.GetByTestId("valid")).ToBeVisibleAsync();
        await Assertions.Expect(marker).ToHaveCountAsync(0);
        await page.GetByLabel("Note").FillAsync("mark web callers");
        await page.GetByTestId("save").ClickAsync();
        await Assertions.Expect(page.GetByTestId("save-status")).ToContainTextAsync("deployed", new() { Timeout = 10000 });
        Assert.Equal(good, File.ReadAllText(file));

        // The next call takes the new tree: its path starts at the new node.
        string afterSave = await CallPathAsync(server, "+15550000077");
        Assert.StartsWith("web-mark greeting", afterSave, StringComparison.Ordinal);

        await page.GetByTestId("versions").GetByTestId("version-row").First.WaitForAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Show differences A → B" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("diff")).ToContainTextAsync("web-mark");
        await BrowserFixture.ScreenshotAsync(page, "admin-ivr-versions");
        await page.GetByTestId("rollback-1").ClickAsync();
        await Assertions.Expect(page.GetByTestId("save-status")).ToContainTextAsync("Rolled back");
        Assert.Equal(original, File.ReadAllText(file));
        await Assertions.Expect(page.GetByTestId("version-row").First).ToContainTextAsync("rollback to version 1");

        // And the call after the rollback takes the old tree again.
        string afterRollback = await CallPathAsync(server, "+15550000078");
        Assert.StartsWith("greeting", afterRollback, StringComparison.Ordinal);
        Assert.DoesNotContain("web-mark", afterRollback, StringComparison.Ordinal);

        await page.GotoAsync("/admin/audit");
        await Assertions.Expect(page.GetByTestId("audit")).ToContainTextAsync("config.rolled_back");
        await Assertions.Expect(page.GetByTestId("audit")).ToContainTextAsync("config.saved");
        browser.AssertNoCspViolations();
    }

    [Fact]
    public async Task ApiReference_RendersUnderItsOwnNoncePolicy_ConsoleKeepsItsPolicy()
    {
        ServerProcess server = fixture.Server;
        IPage page = await browser.SignInAsync(server.HttpBase, "admin");
        IResponse? console = await page.GotoAsync("/admin");
        string consolePolicy = (await console!.HeaderValueAsync("content-security-policy"))!;
        Assert.StartsWith("default-src 'self';", consolePolicy, StringComparison.Ordinal);
        Assert.DoesNotContain("nonce", consolePolicy, StringComparison.Ordinal);

        // /api-reference is Scalar's page; its policy allows its scripts and styles by a nonce fresh for each response.
        IResponse? reference = await page.GotoAsync("/api-reference");
        Assert.EndsWith("/scalar/v1", page.Url, StringComparison.Ordinal);
        string policy = (await reference!.HeaderValueAsync("content-security-policy"))!;
        output.WriteLine(policy);
        Assert.Matches("script-src 'self' 'nonce-[A-Za-z0-9_-]{24}'", policy);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        IResponse? again = await page.GotoAsync("/scalar/v1");
        Assert.NotEqual(policy, await again!.HeaderValueAsync("content-security-policy"));

        // Styled (its sidebar lists the API's groups), and its request client opens.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Telephony HTTP API" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Open Group - Agent desktop" })).ToBeVisibleAsync();
        ILocator sidebar = page.GetByRole(AriaRole.Button, new() { Name = "Open Group - Agent desktop" });
        Assert.True((await sidebar.BoundingBoxAsync())!.X < 400, "Scalar's sidebar is not laid out: its styles were refused");
        await BrowserFixture.ScreenshotAsync(page, "api-reference", fullPage: false);
        await page.GetByRole(AriaRole.Button, new() { Name = "Test Request" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send Request" })).ToBeVisibleAsync();

        // Scalar probes for eval (its validator's JIT, which falls back without it): refused, and nothing else is.
        browser.AssertNoCspViolations(v => v.Contains("'unsafe-eval'", StringComparison.Ordinal) && v.Contains("/scalar/", StringComparison.Ordinal));
    }

    /// <summary>Replaces the editor's whole text as a person would: select all, paste (one change, no auto-indent).</summary>
    private static async Task PasteAsync(IPage page, string text)
    {
        await page.EvaluateAsync("t => navigator.clipboard.writeText(t)", text);
        await page.GetByTestId("code-editor").ClickAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.PressAsync("Control+V");
    }

    /// <summary>Places a short trunk call from <paramref name="caller"/> and returns the IVR path of its call record.</summary>
    private async Task<string> CallPathAsync(ServerProcess server, string caller)
    {
        string dir = RepoPaths.NewTempDirectory("browser-admin-call");
        PcapSummary quiet = IvrCalls.Keys(dir, 1.0, "");
        SippResult call = await Sipp.RunAsync(IvrCalls.Caller(server, fixture.Ports.PeerSip(0), fixture.Ports.PeerMedia(0), caller, quiet, 1, quiet, 0.5));
        output.WriteLine(call.Describe());
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            using var doc = JsonDocument.Parse(await Admin.GetStringAsync(new Uri(server.HttpBase, "api/calls?number=" + Uri.EscapeDataString(caller))));
            foreach (JsonElement c in doc.RootElement.GetProperty("items").EnumerateArray())
            {
                if (c.GetProperty("ivrPath").GetString() is { Length: > 0 } path && c.GetProperty("endedAt").ValueKind != JsonValueKind.Null)
                {
                    output.WriteLine($"{caller}: {path}");
                    return path;
                }
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"no finished call from {caller}\n{server.Describe(40)}");
    }
}
