using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Telephony.Browser.Tests.Infrastructure;
using Telephony.Interop.Tests.Ivr;

namespace Telephony.Browser.Tests;

/// <summary>
/// The console against one real server with real peers. A SIPp VIP caller from the trunk presses 2 and waits in the
/// support queue (agent 1001 paused) and appears on the supervisor's wallboard within 1 s of the server's snapshot;
/// the supervisor resumes 1001 from the supervisor page, baresip 1001 rings and answers and the agent desktop's screen
/// pop shows the caller, priority, tags and IVR path; the supervisor clicks Listen and baresip 2001 (the supervisor's
/// phone) is called and joined, the mode shown; after the call the recording plays to its end in the call page, and
/// agent 1002 opening that call sees 403. Agent 1002 transfers a caller to the sales queue from its desktop: the
/// wallboard shows the caller waiting in sales, the agent is released to wrap-up, and once the caller gives up the
/// statistics count it: the agent's own day, the queues' figures of the day and the agent state timeline.
/// </summary>
public sealed class CallCenterConsoleTests(BrowserFixture browser, ConsoleServerFixture<CallCenterConsoleTests> fixture, ITestOutputHelper output)
    : IClassFixture<BrowserFixture>, IClassFixture<ConsoleServerFixture<CallCenterConsoleTests>>
{
    private const string VipCaller = "+15550000001";
    private static readonly HttpClient Supervisor = AuthenticatedHttp.Create(TimeSpan.FromSeconds(20), "2001");

    private readonly PortBlock ports = PortAllocator.For<CallCenterConsoleTests>();

    [Fact]
    public async Task QueuedCaller_OnWallboard_ScreenPop_Listen_RecordingPlays_OtherAgentForbidden()
    {
        ServerProcess server = fixture.Server;
        int serverLine = server.Log.Count;
        string dir = RepoPaths.NewTempDirectory("browser-console");
        await using BaresipPeer agent = await BaresipPeer.StartAsync(new BaresipOptions
        {
            Name = "1001", SipPort = ports.PeerSip(1), ControlPort = ports.PeerSip(1) + 2, RtpPortMin = ports.PeerMedia(1),
            Account = BaresipPeer.AccountLine("1001", server.SipHostPort, "pass1001", autoAnswer: true),
            AudioSourceWav = TestAudio.Tone(1000, 60, Path.Combine(dir, "agent.wav")), QuitAfter = TimeSpan.FromSeconds(120),
        }, output);
        await using BaresipPeer phone2001 = await BaresipPeer.StartAsync(new BaresipOptions
        {
            Name = "2001", SipPort = ports.PeerSip(2), ControlPort = ports.PeerSip(2) + 2, RtpPortMin = ports.PeerMedia(2),
            Account = BaresipPeer.AccountLine("2001", server.SipHostPort, "pass2001", autoAnswer: true),
            AudioSourceWav = TestAudio.Tone(1800, 60, Path.Combine(dir, "sup.wav")), QuitAfter = TimeSpan.FromSeconds(120),
        }, output);
        await agent.WaitForLogAsync("[1 binding]", TimeSpan.FromSeconds(10));
        await phone2001.WaitForLogAsync("[1 binding]", TimeSpan.FromSeconds(10));
        await server.WaitForLogAsync("Agent 1001: LoggedOut -> Available", TimeSpan.FromSeconds(5), serverLine);
        using (HttpResponseMessage paused = await Supervisor.PostAsync(new Uri(server.HttpBase, "api/agents/1001/pause?reason=Coaching"), null))
        {
            Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        }

        IPage wallboard = await browser.SignInAsync(server.HttpBase, "2001", 1920, 1080);
        Assert.EndsWith("/wallboard", wallboard.Url, StringComparison.Ordinal);
        IPage desk = await browser.SignInAsync(server.HttpBase, "1001");
        Assert.EndsWith("/agent", desk.Url, StringComparison.Ordinal);
        await desk.GetByTestId("agent-state").GetByText("Paused: Coaching").WaitForAsync();

        // The caller: greeting, "2" by RFC 4733, then waits in the support queue and talks for a while once answered.
        double welcome = WavFile.Read(RepoPaths.Sound("ivr/welcome")).Mono().Length / 8000.0;
        PcapSummary keys = IvrCalls.Keys(dir, welcome + 1.5, "2");
        PcapSummary talk = PcapBuilder.Write(Path.Combine(dir, "talk.pcap"), new PcapStream { Audio = WavFile.Read(TestAudio.Tone(440, 8, Path.Combine(dir, "caller.wav"))).Mono() });
        Task<SippResult> call = Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(0), ports.PeerMedia(0), VipCaller, keys,
            keys.DurationSeconds + 3.5, talk, talk.DurationSeconds + 8));

        // Within 1 s: the first time the server's snapshot has the caller vs. the first time the wallboard shows it.
        var clock = Stopwatch.StartNew();
        TimeSpan? onServer = null, onPage = null;
        ILocator row = wallboard.Locator("[data-testid=queue-support] [data-testid=waiting-caller]");
        while ((onServer is null || onPage is null) && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (onServer is null && await HasWaitingCallerAsync(server))
            {
                onServer = clock.Elapsed;
            }
            if (onPage is null && await row.CountAsync() > 0)
            {
                onPage = clock.Elapsed;
            }
            await Task.Delay(40);
        }
        output.WriteLine($"caller in the server's snapshot at {onServer}, on the wallboard at {onPage}");
        Assert.True(onServer is not null && onPage is not null, $"caller never seen: server {onServer}, page {onPage}\n{server.Describe(60)}");
        Assert.True(onPage - onServer < TimeSpan.FromSeconds(1), $"wallboard {onPage} vs server {onServer}: more than 1 s");
        await Assertions.Expect(row).ToContainTextAsync(VipCaller);
        await Assertions.Expect(row).ToContainTextAsync("vip");
        await Assertions.Expect(wallboard.GetByTestId("tile-waiting")).ToContainTextAsync("1");
        await Task.Delay(1200); // the wait ticks on the page
        await BrowserFixture.ScreenshotAsync(wallboard, "wallboard");

        // The supervisor resumes 1001 from the supervisor page; baresip 1001 rings and answers; the screen pop shows the IVR data.
        IPage supervisor = await browser.SignInAsync(server.HttpBase, "2001");
        await supervisor.GotoAsync("/supervisor");
        ILocator agentRow = supervisor.GetByTestId("agent-row-1001");
        await Assertions.Expect(agentRow).ToContainTextAsync("Paused: Coaching");
        await agentRow.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await agent.WaitForLogAsync("Call established", TimeSpan.FromSeconds(15));
        ILocator pop = desk.GetByTestId("screen-pop");
        // Everything in the pop comes from /api/agents/1001/screen-pop: the queue's view and the call record's.
        await Assertions.Expect(desk.GetByTestId("pop-caller")).ToHaveTextAsync(VipCaller);
        await Assertions.Expect(desk.GetByTestId("pop-dialed")).ToHaveTextAsync("08001234567");
        await Assertions.Expect(desk.GetByTestId("pop-ivr-path")).ToContainTextAsync("main-menu");
        await Assertions.Expect(desk.GetByTestId("pop-tags")).ToContainTextAsync("vip");
        await Assertions.Expect(desk.GetByTestId("pop-priority")).ToContainTextAsync("50");
        await Assertions.Expect(desk.GetByTestId("disposition").GetByLabel("resolved")).ToBeEnabledAsync();
        await desk.GetByLabel("Notes").FillAsync("Customer asks about the invoice of March.");
        await BrowserFixture.ScreenshotAsync(desk, "agent-desktop");

        // Listen: the supervisor's phone (baresip 2001) is called and joined; the row shows the mode.
        ILocator liveRow = supervisor.Locator("[data-testid=live-call]", new() { HasText = VipCaller });
        await Assertions.Expect(liveRow).ToContainTextAsync("1001");
        string callId = (await liveRow.GetAttributeAsync("data-call"))!;
        int line = phone2001.Log.Count;
        await liveRow.GetByRole(AriaRole.Button, new() { Name = "Listen", Exact = true }).ClickAsync();
        await phone2001.WaitForLogAsync("Call established", TimeSpan.FromSeconds(15), line);
        await Assertions.Expect(liveRow.GetByTestId("supervision-mode")).ToContainTextAsync("Listen by 2001", new() { Timeout = 10000 });
        await BrowserFixture.ScreenshotAsync(supervisor, "supervisor");

        SippResult result = await call;
        Assert.True(result.Succeeded, "caller's call failed\n" + result.Describe() + "\n" + server.Describe(80));
        await Assertions.Expect(desk.GetByTestId("no-call")).ToBeVisibleAsync(new() { Timeout = 15000 });

        // The recording plays to its end in the call page (sped up); another agent gets 403 for this call.
        await WaitForRecordingAsync(server, callId);
        await supervisor.GotoAsync("/calls/" + Uri.EscapeDataString(callId));
        await Assertions.Expect(supervisor.GetByTestId("timeline")).ToContainTextAsync("Answered by 1001");
        await supervisor.Locator("[data-testid=audio]").EvaluateAsync("a => { a.playbackRate = 16; }");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Play" }).ClickAsync();
        await supervisor.Locator("[data-testid=player-state][data-state=ended]").WaitForAsync(new() { Timeout = 20000 });
        await BrowserFixture.ScreenshotAsync(supervisor, "call");
        await supervisor.GotoAsync("/calls");
        await Assertions.Expect(supervisor.GetByTestId("call-row").First).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(supervisor, "calls");

        IPage other = await browser.SignInAsync(server.HttpBase, "1002");
        await other.GotoAsync("/calls/" + Uri.EscapeDataString(callId));
        await Assertions.Expect(other.GetByTestId("forbidden")).ToContainTextAsync("403");
        browser.AssertNoCspViolations();
    }

    [Fact]
    public async Task AgentTransfersToSalesFromTheDesktop_WallboardShowsIt_StatisticsCountTheDay()
    {
        const string caller = "+15550000042";
        ServerProcess server = fixture.Server;
        string dir = RepoPaths.NewTempDirectory("browser-transfer");
        await using BaresipPeer agent = await BaresipPeer.StartAsync(new BaresipOptions
        {
            Name = "1002", SipPort = ports.PeerSip(3), ControlPort = ports.PeerSip(3) + 2, RtpPortMin = ports.PeerMedia(3),
            Account = BaresipPeer.AccountLine("1002", server.SipHostPort, "pass1002", autoAnswer: true),
            AudioSourceWav = TestAudio.Tone(1000, 60, Path.Combine(dir, "agent.wav")), QuitAfter = TimeSpan.FromSeconds(90),
        }, output);
        await agent.WaitForLogAsync("[1 binding]", TimeSpan.FromSeconds(10));
        IPage wallboard = await browser.SignInAsync(server.HttpBase, "2001", 1920, 1080);
        IPage desk = await browser.SignInAsync(server.HttpBase, "1002");
        await Assertions.Expect(desk.GetByTestId("agent-state")).ToContainTextAsync("Available");
        await Assertions.Expect(desk.GetByTestId("my-handled")).ToContainTextAsync("0");

        // Presses 2 for support, is answered by 1002, and hangs up 12 s later: in the sales queue by then.
        double welcome = WavFile.Read(RepoPaths.Sound("ivr/welcome")).Mono().Length / 8000.0;
        PcapSummary keys = IvrCalls.Keys(dir, welcome + 1.5, "2");
        Task<SippResult> call = Sipp.RunAsync(IvrCalls.Caller(server, ports.PeerSip(0), ports.PeerMedia(0), caller, keys,
            keys.DurationSeconds + 1, keys, 12));
        await agent.WaitForLogAsync("Call established", TimeSpan.FromSeconds(20));
        await Assertions.Expect(desk.GetByTestId("pop-caller")).ToHaveTextAsync(caller);
        await Assertions.Expect(desk.GetByTestId("pop-ivr-path")).ToContainTextAsync("to-support");

        // Transfer to the sales queue (no sales agent is logged in: the caller waits there).
        await desk.GetByLabel("Transfer to a queue or an extension").FillAsync("sales");
        await desk.GetByRole(AriaRole.Button, new() { Name = "Transfer", Exact = true }).ClickAsync();
        await Assertions.Expect(desk.GetByTestId("transfer-status")).ToContainTextAsync("Transferred to queue sales");
        await Assertions.Expect(wallboard.Locator("[data-testid=queue-sales] [data-testid=waiting-caller]")).ToContainTextAsync(caller);
        await Assertions.Expect(desk.GetByTestId("no-call")).ToBeVisibleAsync();
        await Assertions.Expect(desk.GetByTestId("agent-state")).ToContainTextAsync("Wrap-up");
        await Assertions.Expect(desk.GetByTestId("wrapup")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(desk, "agent-desktop-transfer");

        SippResult result = await call;
        output.WriteLine(result.Describe());
        // The statistics API, as the pages show it: the agent's day, the queues' day, the agent state timeline.
        await Assertions.Expect(desk.GetByTestId("my-handled")).ToContainTextAsync("1", new() { Timeout = 15000 });
        await Assertions.Expect(desk.GetByTestId("my-talk")).Not.ToHaveTextAsync("0:00");
        ILocator salesToday = wallboard.Locator("[data-testid=queue-sales] [data-testid=queue-today]");
        await Assertions.Expect(salesToday).ToContainTextAsync("answered 0 of 1", new() { Timeout = 15000 });
        await Assertions.Expect(salesToday).ToContainTextAsync("abandoned 1");
        await Assertions.Expect(wallboard.GetByTestId("tile-sl")).ToContainTextAsync("%");
        await Assertions.Expect(wallboard.GetByTestId("day-charts")).ToBeVisibleAsync();
        // The timeline's row for 1002 has an on-call part (the talk before the transfer may be under a second, which
        // its text summary rounds away) and a wrap-up part.
        ILocator timeline = wallboard.GetByTestId("timeline-1002").Locator("svg");
        await Assertions.Expect(timeline.Locator("rect.state-OnCall")).Not.ToHaveCountAsync(0, new() { Timeout = 15000 });
        await Assertions.Expect(timeline).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("Wrap-up"));
        await BrowserFixture.ScreenshotAsync(desk, "agent-desktop-day");
        await BrowserFixture.ScreenshotAsync(wallboard, "wallboard-day");
        browser.AssertNoCspViolations();
    }

    private static async Task<bool> HasWaitingCallerAsync(ServerProcess server)
    {
        using var doc = JsonDocument.Parse(await Supervisor.GetStringAsync(new Uri(server.HttpBase, "api/queues")));
        return doc.RootElement.GetProperty("queues").EnumerateArray().Any(q => q.GetProperty("calls").GetArrayLength() > 0);
    }

    private static async Task WaitForRecordingAsync(ServerProcess server, string callId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (DateTime.UtcNow < deadline)
        {
            using var doc = JsonDocument.Parse(await Supervisor.GetStringAsync(new Uri(server.HttpBase, $"api/calls/{Uri.EscapeDataString(callId)}/recordings")));
            if (doc.RootElement.EnumerateArray().Any(r => r.GetProperty("status").GetString() == "Completed"))
            {
                return;
            }
            await Task.Delay(200);
        }
        throw new TimeoutException($"recording of {callId} not completed\n{server.Describe(40)}");
    }
}
