using Telephony.Pbx.Calls;
using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Server;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Registrar;

namespace Telephony.Host;

/// <summary>Starts the PBX with the host and, on SIGTERM/Ctrl+C, ends every call with BYE before the process exits.</summary>
public sealed class PbxHostedService(PbxServer server, ILogger<PbxHostedService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => server.StartAsync(cancellationToken);

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("Stopping: {Calls} active call(s)", server.Calls.ActiveCalls);
        await server.StopAsync(TimeSpan.FromSeconds(3));
        await server.DisposeAsync();
        logger.LogInformation("Stopped");
    }
}
