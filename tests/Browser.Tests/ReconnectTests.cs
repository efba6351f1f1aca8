using Telephony.Browser.Tests.Infrastructure;
using Telephony.Interop.Tests.Ivr;

namespace Telephony.Browser.Tests;

/// <summary>
/// The event stream across a server restart: the wallboard shows "reconnecting" while the server is down, signs back in
/// by itself (sessions are kept in the database), resumes with Last-Event-ID, and shows what happened after the
/// restart: agent 1001 logged in and paused for lunch, and a trunk caller waiting in the support queue.
/// </summary>
public sealed class ReconnectTests(BrowserFixture browser, ITestOutputHelper output) : IClassFixture<BrowserFixture>
{
    private static readonly HttpClient Supervisor = AuthenticatedHttp.Create(TimeSpan.FromSeconds(20), "2001");
    private readonly PortBlock ports = PortAllocator.For<ReconnectTests>();

    [Fact]
    public async Task ServerRestartMidTest_WallboardReconnectsAndIsCorrect()
    {
        string data = RepoPaths.NewTempDirectory("browser-restart-data");
        var env = new Dictionary<string, string?> { ["TELEPHONY_DATA__DIRECTORY"] = data, ["TELEPHONY_IVR__CLOCK"] = IvrCalls.OpenClock };
        ServerProcess server = await ServerProcess.StartAsync(ports, output, env);
        IPage wallboard;
        try
        {
            wallboard = await browser.SignInAsync(server.HttpBase, "2001");
            await Assertions.Expect(wallboard.GetByTestId("agent-1001")).ToContainTextAsync("Logged out");
            await server.StopAsync();
        }
        finally
        {
            await server.DisposeAsync();
        }
        await Assertions.Expect(wallboard.GetByTestId("reconnecting")).ToBeVisibleAsync(new() { Timeout = 10000 });
        await Assertions.Expect(wallboard.Locator("[data-testid=stream-state][data-state=reconnecting]")).ToBeVisibleAsync();
        await BrowserFixture.ScreenshotAsync(wallboard, "wallboard-reconnecting");

        await using ServerProcess again = await ServerProcess.StartAsync(ports, output, env);
        await again.WaitForSipAsync(ports.PeerSip(9));
        (await Supervisor.PostAsync(new Uri(again.HttpBase, "api/agents/1001/login"), null)).EnsureSuccessStatusCode();
        (await Supervisor.PostAsync(new Uri(again.HttpBase, "api/agents/1001/pause?reason=Lunch"), null)).EnsureSuccessStatusCode();
        string dir = RepoPaths.NewTempDirectory("browser-restart");
        double welcome = WavFile.Read(RepoPaths.Sound("ivr/welcome")).Mono().Length / 8000.0;
        PcapSummary keys = IvrCalls.Keys(dir, welcome + 1.5, "2");
        Task<SippResult> call = Sipp.RunAsync(IvrCalls.Caller(again, ports.PeerSip(0), ports.PeerMedia(0), "+15550000042", keys,
            keys.DurationSeconds + 6, keys, 0.5));

        await Assertions.Expect(wallboard.Locator("[data-testid=stream-state][data-state=live]")).ToBeVisibleAsync(new() { Timeout = 15000 });
        await Assertions.Expect(wallboard.GetByTestId("reconnecting")).ToBeHiddenAsync();
        await Assertions.Expect(wallboard.GetByTestId("agent-1001")).ToContainTextAsync("Paused: Lunch", new() { Timeout = 15000 });
        await Assertions.Expect(wallboard.Locator("[data-testid=queue-support] [data-testid=waiting-caller]"))
            .ToContainTextAsync("+15550000042", new() { Timeout = 20000 });
        output.WriteLine((await call).Describe());
        browser.AssertNoCspViolations();
    }
}
