using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telephony.Browser.Tests.Infrastructure;
using Telephony.Interop.Tests.Promises;

namespace Telephony.Browser.Tests;

/// <summary>
/// The agent desktop's after-call work and the supervisor's alerts, on one server in office hours. A trunk caller reaches
/// the support queue and agent 1001 (raw SIP) answers: on 1001's desktop the agent ticks two disposition codes of the
/// support queue and saves them with the notes during the call; 1001 hangs up first (the wrap-up countdown shows), the
/// caller answers the survey with 1 and the supervisor's wallboard shows the low-CSAT alert as it happens; in wrap-up the
/// agent changes the codes of that last call with the keyboard only. The supervisor's call search finds the call by disposition and low CSAT,
/// with its score shown, and the call page has codes, notes and score. A callback booked by 1001 raises the wallboard's
/// "callback requested" alert and is among 1001's callback tasks; 1001's figures of the day count the call.
/// </summary>
public sealed class AgentDeskTests(BrowserFixture browser, ConsoleServerFixture<AgentDeskTests> fixture, ITestOutputHelper output)
    : IClassFixture<BrowserFixture>, IClassFixture<ConsoleServerFixture<AgentDeskTests>>
{
    private const string Caller = "+15550000061";
    private const string CallbackNumber = "+15550000062";
    private static readonly HttpClient Agent1001 = AuthenticatedHttp.Create(TimeSpan.FromSeconds(20), "1001");
    private static readonly HttpClient Supervisor = AuthenticatedHttp.Create(TimeSpan.FromSeconds(20), "2001");

    [Fact]
    public async Task DispositionDuringAndAfterTheCall_LowCsatAlertLive_SearchByDispositionAndCsat_CallbackTask()
    {
        ServerProcess server = fixture.Server;
        PortBlock ports = fixture.Ports;
        IPage wallboard = await browser.SignInAsync(server.HttpBase, "2001", 1920, 1080);
        IPage desk = await browser.SignInAsync(server.HttpBase, "1001");
        await Assertions.Expect(desk.GetByTestId("disposition-none")).ToBeVisibleAsync();

        await using PromiseCalls calls = PromiseCalls.For(server, Caller);
        await calls.RegisterAgentAsync(ports);
        await Assertions.Expect(desk.GetByTestId("agent-state")).ToContainTextAsync("Available");
        await calls.DialAsync(ports);
        await calls.ChooseSupportAsync();
        await calls.AnswerAsAgentAsync(ports);

        // During the call: the support queue's codes, two ticked, saved with the notes.
        await Assertions.Expect(desk.GetByTestId("pop-caller")).ToHaveTextAsync(Caller);
        ILocator form = desk.GetByTestId("disposition");
        await Assertions.Expect(form.Locator("legend")).ToContainTextAsync("in progress, queue support");
        await desk.GetByLabel("Notes").FillAsync("Printer on fire again; technician booked for Tuesday.");
        await form.GetByLabel("resolved").CheckAsync();
        await form.GetByLabel("follow-up").CheckAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "Save disposition and notes" }).ClickAsync();
        await Assertions.Expect(desk.GetByTestId("disposition-saved")).ToContainTextAsync("by 1001: resolved, follow-up (with notes)");
        await BrowserFixture.ScreenshotAsync(desk, "agent-desktop-disposition");
        string id = await calls.CallIdAsync();

        // 1001 hangs up first: wrap-up counts down while the caller answers the survey with a low score.
        await calls.Agent!.ByeAsync();
        await Assertions.Expect(desk.GetByTestId("wrapup")).ToContainTextAsync("left");
        await server.WaitForLogAsync("goes through survey csat", TimeSpan.FromSeconds(10));
        await Task.Delay(TimeSpan.FromSeconds(1));
        await calls.CallerRtp!.KeysAsync("1");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await calls.CallerRtp.KeysAsync("1");
        ILocator lowCsat = wallboard.Locator("[data-testid=alerts] li[data-kind=low_csat]");
        await Assertions.Expect(lowCsat).ToContainTextAsync($"Low CSAT score 1 from {Caller} (agent 1001)", new() { Timeout = 20000 });
        await Assertions.Expect(wallboard.Locator("[data-testid=alert-counts] [data-kind=low_csat]")).ToContainTextAsync("Low CSAT: 1");

        // After the call (wrap-up or later), the codes of that last call change, with the keyboard only: Space ticks and
        // unticks, Tab goes on to the save button, Enter saves.
        await Assertions.Expect(form.Locator("legend")).ToContainTextAsync("last call");
        await form.GetByLabel("follow-up").FocusAsync();
        await desk.Keyboard.PressAsync("Space");
        await desk.Keyboard.PressAsync("Tab");
        await desk.Keyboard.PressAsync("Space");
        await Assertions.Expect(form.GetByLabel("escalated")).ToBeCheckedAsync();
        await Assertions.Expect(form.GetByLabel("follow-up")).Not.ToBeCheckedAsync();
        await desk.Keyboard.PressAsync("Tab");
        await desk.Keyboard.PressAsync("Tab");
        await Assertions.Expect(form.GetByRole(AriaRole.Button, new() { Name = "Save disposition and notes" })).ToBeFocusedAsync();
        await desk.Keyboard.PressAsync("Enter");
        await Assertions.Expect(desk.GetByTestId("disposition-saved")).ToContainTextAsync("resolved, escalated");
        await Assertions.Expect(desk.GetByTestId("my-handled")).ToContainTextAsync("1", new() { Timeout = 15000 });

        // The supervisor finds it by disposition and low CSAT; the call page shows codes, notes and score.
        IPage supervisor = await browser.SignInAsync(server.HttpBase, "2001");
        await supervisor.GotoAsync("/calls");
        await supervisor.GetByLabel("Disposition").SelectOptionAsync("escalated");
        await supervisor.GetByLabel("CSAT").SelectOptionAsync("1-2");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        ILocator row = supervisor.GetByTestId("call-row");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync(Caller);
        await Assertions.Expect(row).ToContainTextAsync("1 / 5 (low)");
        await Assertions.Expect(row.GetByTestId("row-disposition")).ToHaveTextAsync("resolved, escalated");
        await BrowserFixture.ScreenshotAsync(supervisor, "calls-filtered");
        await supervisor.GetByLabel("CSAT").SelectOptionAsync("4-5");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(supervisor.GetByTestId("call-row")).ToHaveCountAsync(0);
        await supervisor.GotoAsync("/calls/" + Uri.EscapeDataString(id));
        await Assertions.Expect(supervisor.GetByTestId("cdr-csat")).ToHaveTextAsync("1 / 5 (low)");
        await Assertions.Expect(supervisor.GetByTestId("cdr")).ToContainTextAsync("technician booked for Tuesday");
        await Assertions.Expect(supervisor.GetByTestId("timeline")).ToContainTextAsync("Survey: CSAT 1");

        // A callback booked by 1001: the wallboard's alert as it happens, and 1001's callback tasks.
        using (HttpResponseMessage booked = await Agent1001.PostAsJsonAsync(new Uri(server.HttpBase, "api/callbacks"), new
        {
            number = CallbackNumber, queue = "support", name = "Dana", note = "after 3 pm please",
            notBefore = DateTimeOffset.UtcNow.AddHours(3).ToString("o", System.Globalization.CultureInfo.InvariantCulture),
        }))
        {
            string body = await booked.Content.ReadAsStringAsync();
            output.WriteLine(body);
            Assert.Equal(HttpStatusCode.Accepted, booked.StatusCode);
            using JsonDocument doc = JsonDocument.Parse(body);
            string callbackId = doc.RootElement.GetProperty("id").GetString()!;
            ILocator requested = wallboard.Locator("[data-testid=alerts] li[data-kind=callback_requested]");
            await Assertions.Expect(requested).ToContainTextAsync($"by {CallbackNumber} (Dana) for support");
            await desk.ReloadAsync();
            ILocator task = desk.GetByTestId("callback-task");
            await Assertions.Expect(task).ToContainTextAsync(CallbackNumber);
            await Assertions.Expect(task).ToContainTextAsync("Waiting");
            await Assertions.Expect(task).ToContainTextAsync("after 3 pm please");
            await BrowserFixture.ScreenshotAsync(desk, "agent-desktop-tasks");
            await BrowserFixture.ScreenshotAsync(wallboard, "wallboard-alerts", fullPage: false);
            (await Supervisor.DeleteAsync(new Uri(server.HttpBase, "api/callbacks/" + callbackId))).EnsureSuccessStatusCode();
        }
        browser.AssertNoCspViolations();
    }
}
