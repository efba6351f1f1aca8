namespace Telephony.Interop.Tests.Harness;

/// <summary>Self-test of <see cref="ServerProcess"/>: starts the Host, sees /health answer, stops it with SIGTERM.</summary>
[Collection(PeersCollection.Name)]
public sealed class ServerProcessTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Start_WaitsForHealth_AndSigtermStopsTheProcess()
    {
        ServerProcess server = await ServerProcess.StartAsync(PortAllocator.For<ServerProcessTests>(), output);
        await using (server)
        {
            (int status, string body) = await server.GetHealthAsync();
            Assert.True(status == 200, $"/health {status} {body}\n{server.Describe()}");
            int exit = await server.StopAsync(TimeSpan.FromSeconds(15));
            Assert.True(server.HasExited);
            Assert.True(exit == 0, $"exit code {exit} after SIGTERM\n{server.Describe()}");
        }
    }
}
