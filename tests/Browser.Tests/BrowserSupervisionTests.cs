using System.Diagnostics;
using System.Globalization;
using Telephony.Browser.Tests.Infrastructure;
using Telephony.Interop.Tests.Ivr;
using Telephony.Interop.Tests.Promises;

namespace Telephony.Browser.Tests;

/// <summary>
/// Supervision with browsers on both ends: a trunk customer (raw SIP + RTP, 440 Hz) reaches the support queue and agent
/// 1001 answers in the agent desktop's browser phone (fake microphone 1 kHz) and keys <c>*5</c> + 1 on its pad (each key
/// reaches the server as an RFC 4733 event: the server offered, the browser answered); supervisor 2001 has the supervisor
/// page open in a second Chromium (fake microphone 1800 Hz) with its own browser phone on. Clicking Listen calls that phone, which
/// joins at once: the supervisor hears the customer. Whisper: the agent's page hears the supervisor, the customer does
/// not. Barge: the customer hears the supervisor too. Audio is checked as audio (Goertzel in the pages, and on the
/// customer's received RTP).
/// </summary>
public sealed class BrowserSupervisionTests(ITestOutputHelper output)
{
    private const string Customer = "+15550000045";
    private const int CustomerHz = 440;
    private const int AgentHz = 1000;
    private const int SupervisorHz = 1800;

    private readonly PortBlock ports = PortAllocator.For<BrowserSupervisionTests>();

    [Fact]
    public async Task Supervisor_page_listens_whispers_and_barges_into_a_browser_agents_call()
    {
        var clock = Stopwatch.StartNew();
        await using ServerProcess server = await IvrCalls.StartAsync(ports, output);
        string dir = RepoPaths.NewTempDirectory("browser-supervision");
        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser agentBrowser = await PhonePages.LaunchAsync(playwright,
            Path.GetFullPath(TestAudio.Tone(AgentHz, 60, Path.Combine(dir, "agent.wav"))));
        await using IBrowser supervisorBrowser = await PhonePages.LaunchAsync(playwright,
            Path.GetFullPath(TestAudio.Tone(SupervisorHz, 60, Path.Combine(dir, "supervisor.wav"))));
        IPage agent = await PhonePages.PhoneOnAsync(output, agentBrowser, server, "1001");
        IPage supervisor = await PhonePages.PhoneOnAsync(output, supervisorBrowser, server, "2001", path: "/supervisor");
        await server.WaitForLogAsync("Agent 1001: LoggedOut -> Available", TimeSpan.FromSeconds(10));

        await using PromiseCalls customer = PromiseCalls.For(server, Customer);
        await customer.DialAsync(ports);
        await customer.CallerRtp!.KeysAsync("2"); // during the greeting (barge-in keeps it for the menu): support
        customer.CallerRtp!.Talk(WavFile.Read(TestAudio.Tone(CustomerHz, 40, Path.Combine(dir, "customer.wav"))).Mono());
        await agent.GetByTestId("phone-ringing").WaitForAsync(new() { Timeout = 20000 });
        await agent.GetByTestId("phone-answer").ClickAsync();
        await agent.Locator("[data-testid=phone-panel][data-call=connected]").WaitForAsync();

        // The agent keys *5 + 1 (a disposition) on the page's pad: the server offered, the page answered, and Chromium
        // sends the keys as telephone-event/8000 next to Opus; each one reaches the queue call.
        int line = server.Log.Count;
        foreach (string key in new[] { "*", "5", "1" })
        {
            await agent.GetByTestId("phone-key-" + key).ClickAsync(); // at once: the panel holds keys until DTLS is up
            await WaitForLog(server, $"'{key}'' from agent 1001", line, "the agent's key " + key, agent);
        }

        // Listen: the supervisor page's own phone is called and answers by itself.
        ILocator row = supervisor.Locator("[data-testid=live-call]", new() { HasText = "1001" });
        line = server.Log.Count;
        await row.GetByRole(AriaRole.Button, new() { Name = "Listen", Exact = true }).ClickAsync();
        await Expect(supervisor.Locator("[data-testid=phone-panel][data-call=connected]"), "the supervisor's phone joins", server);
        await server.WaitForLogAsync("joined call", TimeSpan.FromSeconds(10), line);
        await Task.Delay(1500); // past DTLS
        double supervisorHearsCustomer = await supervisor.EvaluateAsync<double>(PhonePages.RemoteToneShare, CustomerHz);

        // Whisper: the agent hears the supervisor; the customer does not. The customer is quiet meanwhile: browsers'
        // noise suppression turns a steady microphone tone down, so next to the customer's full-scale tone it would
        // hardly count.
        customer.CallerRtp.Talk(null);
        line = server.Log.Count;
        await row.GetByRole(AriaRole.Button, new() { Name = "Whisper", Exact = true }).ClickAsync();
        await server.WaitForLogAsync("now Whisper", TimeSpan.FromSeconds(10), line);
        await Task.Delay(500);
        int whisperFrom = customer.CallerSink!.Audio.Length;
        double agentHearsSupervisor = await agent.EvaluateAsync<double>(PhonePages.RemoteToneShare, SupervisorHz);
        short[] whispered = customer.CallerSink.Audio[whisperFrom..];

        // Barge: the customer hears the supervisor too.
        line = server.Log.Count;
        await row.GetByRole(AriaRole.Button, new() { Name = "Barge", Exact = true }).ClickAsync();
        await server.WaitForLogAsync("now Barge", TimeSpan.FromSeconds(10), line);
        await Task.Delay(500);
        int bargeFrom = customer.CallerSink.Audio.Length;
        await Task.Delay(2000);
        short[] barged = customer.CallerSink.Audio[bargeFrom..];
        await BrowserFixture.ScreenshotAsync(supervisor, "browser-supervisor");

        string heard = string.Create(CultureInfo.InvariantCulture,
            $"listen: supervisor hears the customer {supervisorHearsCustomer:0.00}; whisper: agent hears the supervisor " +
            $"{agentHearsSupervisor:0.00}, customer hears agent {Share(whispered, AgentHz)} supervisor {Share(whispered, SupervisorHz)}; " +
            $"barge: customer hears supervisor {Share(barged, SupervisorHz)}");
        output.WriteLine(heard);
        string context = heard + "\n" + server.Describe(80);
        Assert.True(supervisorHearsCustomer >= 0.2, "listen: the supervisor hears the customer's 440 Hz\n" + context);
        Assert.True(agentHearsSupervisor >= 0.2, "whisper: the agent hears the supervisor's 1800 Hz\n" + context);
        Assert.True(Median(whispered, AgentHz) >= 0.3, "whisper: the customer still hears the agent\n" + context);
        Assert.True(Median(whispered, SupervisorHz) < 0.05, "whisper: the customer does not hear the supervisor\n" + context);
        Assert.True(Median(barged, SupervisorHz) >= 0.1, "barge: the customer hears the supervisor\n" + context);

        await customer.Caller!.ByeAsync();
        await agent.Locator("[data-testid=phone-panel][data-call=idle]").WaitForAsync();
        await supervisor.Locator("[data-testid=phone-panel][data-call=idle]").WaitForAsync();
        output.WriteLine($"test took {clock.Elapsed.TotalSeconds:0.0} s");
    }

    private static double[] Shares(short[] samples, int hz) =>
        Enumerable.Range(0, samples.Length / 1600) // 200 ms blocks
            .Select(i => Telephony.Interop.Tests.Infrastructure.AudioAnalysis.ToneShare(samples.AsSpan(i * 1600, 1600), hz))
            .ToArray();

    private static double Median(short[] samples, int hz)
    {
        double[] shares = Shares(samples, hz);
        Array.Sort(shares);
        return shares.Length == 0 ? 0 : shares[shares.Length / 2];
    }

    private static string Share(short[] samples, int hz) => Median(samples, hz).ToString("0.00", CultureInfo.InvariantCulture);

    private static async Task WaitForLog(ServerProcess server, string text, int fromLine, string what, IPage page)
    {
        try
        {
            await server.WaitForLogAsync(text, TimeSpan.FromSeconds(12), fromLine);
        }
        catch (TimeoutException)
        {
            using var http = new HttpClient();
            string drops = string.Join("\n", (await http.GetStringAsync(new Uri(server.HttpBase, "metrics"))).Split('\n')
                .Where(l => l.StartsWith("telephony_media_packets_dropped_total", StringComparison.Ordinal)));
            Assert.Fail($"{what}: no '{text}' in the server's log; panel: {await page.Locator(".phone").InnerTextAsync()}\n" +
                $"{drops}\n{server.Describe(80)}");
        }
    }

    private static async Task Expect(ILocator locator, string what, ServerProcess server)
    {
        try
        {
            await locator.WaitForAsync(new() { Timeout = 15000 });
        }
        catch (TimeoutException)
        {
            Assert.Fail($"{what}: timed out\n{server.Describe(80)}");
        }
    }
}
