namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>
/// The xUnit collection for every test that drives real peers (SIPp, baresip, the server process):
/// they bind fixed ports and are CPU-heavy, so they run one class at a time.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PeersCollection
{
    /// <summary>Collection name for <c>[Collection(PeersCollection.Name)]</c>.</summary>
    public const string Name = "peers";
}
