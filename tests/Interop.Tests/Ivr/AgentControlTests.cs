using System.Net;
using System.Text.Json;
using Telephony.Interop.Tests.Engine;

namespace Telephony.Interop.Tests.Ivr;

/// <summary>Agent feature code *45 dialed by extension 1001 (SIPp with digest), and the agents HTTP API.</summary>
[Collection(PeersCollection.Name)]
public sealed class AgentControlTests(ITestOutputHelper output)
{
    private static readonly HttpClient Http = AuthenticatedHttp.Create(TimeSpan.FromSeconds(5));
    private readonly PortBlock ports = PortAllocator.For<AgentControlTests>();

    [Fact]
    public async Task FeatureCodeStar45_LogsIn_ThenApiPausesAndRefusesADoubleResume()
    {
        await using ServerProcess server = await IvrCalls.StartAsync(ports, output);
        short[] confirmation = WavFile.Read(RepoPaths.Sound("queue/logged-in")).Mono();
        int media = ports.PeerMedia(0);
        await using var sink = new RtpSink(IPAddress.Loopback, media + 4);
        SippResult call = await Sipp.RunAsync(Engine.Engine.FromExtension(server, "uac-prompt", "*45", "1001", ports.PeerSip(0), media));
        await sink.WaitForQuietAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2));
        string context = $"{sink.Describe()}\n{call.Describe()}\n{server.Describe(60)}";
        output.WriteLine(context);
        Assert.True(call.Succeeded && call.ReceivedRequests.Contains("BYE"), "expected 200, confirmation, BYE\n" + context);
        (double corr, _) = AudioAnalysis.EnvelopeCorrelation(confirmation, sink.Audio);
        Assert.True(corr >= 0.7, $"confirmation not heard: {corr:0.00}\n{context}");
        Assert.Equal("Available", await StateOfAsync(server, "1001"));

        using HttpResponseMessage pause = await Http.PostAsync(new Uri(server.HttpBase, "api/agents/1001/pause?reason=lunch"), null);
        Assert.Equal(HttpStatusCode.OK, pause.StatusCode);
        Assert.Equal("Paused", await StateOfAsync(server, "1001"));
        using HttpResponseMessage resume = await Http.PostAsync(new Uri(server.HttpBase, "api/agents/1001/resume"), null);
        Assert.Equal(HttpStatusCode.OK, resume.StatusCode);
        using HttpResponseMessage again = await Http.PostAsync(new Uri(server.HttpBase, "api/agents/1001/resume"), null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        using HttpResponseMessage notAgent = await Http.PostAsync(new Uri(server.HttpBase, "api/agents/2001/login"), null);
        Assert.Equal(HttpStatusCode.NotFound, notAgent.StatusCode);
    }

    private static async Task<string?> StateOfAsync(ServerProcess server, string agent)
    {
        using JsonDocument doc = JsonDocument.Parse(await Http.GetStringAsync(new Uri(server.HttpBase, "api/queues")));
        return doc.RootElement.GetProperty("agents").EnumerateArray()
            .First(a => a.GetProperty("agent").GetString() == agent).GetProperty("state").GetString();
    }
}
