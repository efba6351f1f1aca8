using System.Net;

namespace Telephony.Interop.Tests.Engine;

/// <summary>Prompt test number 9001: plays sounds/en/prompt-test.wav, then the server sends BYE.</summary>
[Collection(PeersCollection.Name)]
public sealed class PromptTests(ITestOutputHelper output)
{
    private readonly PortBlock ports = PortAllocator.For<PromptTests>();

    [Fact]
    public async Task TrunkCallTo9001_HearsThePrompt_ThenServerHangsUp()
    {
        await using ServerProcess server = await Engine.StartServerAsync(ports, output);
        short[] prompt = WavFile.Read(RepoPaths.Sound("prompt-test")).Mono();
        double promptSeconds = prompt.Length / 8000.0;
        int media = ports.PeerMedia(0);
        await using var sink = new RtpSink(IPAddress.Parse(Engine.TrunkAddress), media + 4);

        SippResult call = await Sipp.RunAsync(Engine.FromTrunk(server, "uac-prompt", Engine.PromptNumber, ports.PeerSip(0), media) with
        {
            RecvTimeout = TimeSpan.FromSeconds(promptSeconds + 10),
        });
        await sink.WaitForQuietAsync(TimeSpan.FromMilliseconds(300), TimeSpan.FromSeconds(2));
        string context = $"{sink.Describe()}\nprompt {promptSeconds:0.00} s\n{call.Describe()}\n{server.Describe()}";
        output.WriteLine(context);

        Assert.True(call.Succeeded, "expected 200, then a BYE from the server\n" + context);
        Assert.Contains("BYE", call.ReceivedRequests);
        Assert.False(AudioAnalysis.IsSilent(sink.Audio), "no audible prompt received\n" + context);
        Assert.True(Math.Abs(sink.AudioSeconds - promptSeconds) <= 0.5, $"received {sink.AudioSeconds:0.00} s of audio\n{context}");
        (double corr, double lag) = AudioAnalysis.EnvelopeCorrelation(prompt, sink.Audio);
        Assert.True(corr >= 0.8, $"received audio is not the prompt: correlation {corr:0.00} at {lag:0.00} s\n{context}");
    }
}
