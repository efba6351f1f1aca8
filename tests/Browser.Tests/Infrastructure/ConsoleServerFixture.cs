using Telephony.Interop.Tests.Ivr;

namespace Telephony.Browser.Tests.Infrastructure;

/// <summary>
/// One server for all the tests of a class (started once: the tests of a class run one after the other and leave it as
/// they found it): the IVR clock in office hours (or <see cref="Clock"/>), on <see cref="PortAllocator"/>'s block of <typeparamref name="TTests"/>,
/// with the sample configuration or a copy of it (<see cref="ConfigDirectory"/>).
/// </summary>
public class ConsoleServerFixture<TTests> : IAsyncLifetime
{
    public PortBlock Ports { get; } = PortAllocator.For<TTests>();

    public ServerProcess Server { get; private set; } = null!;

    /// <summary>The configuration folder (null: config/ of the repository).</summary>
    public virtual string? ConfigDirectory => null;

    /// <summary>The IVR's clock (<see cref="IvrCalls.OpenClock"/>: office hours; <see cref="IvrCalls.ClosedClock"/>: the
    /// closed message and voicemail).</summary>
    public virtual string Clock => IvrCalls.OpenClock;

    /// <summary>How long the server may take to answer /health (a loaded CI box needs more than the default).</summary>
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public async Task InitializeAsync()
    {
        Server = await ServerProcess.StartAsync(Ports, null, new Dictionary<string, string?>
        {
            ["TELEPHONY_IVR__CLOCK"] = Clock,
            ["TELEPHONY_PATHS__CONFIGDIRECTORY"] = ConfigDirectory ?? RepoPaths.ConfigDirectory,
        }, StartTimeout);
        await Server.WaitForSipAsync(Ports.PeerSip(9));
    }

    public async Task DisposeAsync()
    {
        if (Server is not null)
        {
            await Server.DisposeAsync();
        }
    }
}
