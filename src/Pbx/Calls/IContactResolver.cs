using Telephony.Pbx.Sip.Registrar;

namespace Telephony.Pbx.Calls;

/// <summary>
/// Where a call reaches a person (extension, agent, supervisor): the contacts to fork to (RFC 3261 §16.6 / §10.3
/// location service). A single server answers from its own <see cref="LocationTable"/>; a cluster node falls back to
/// the proxy that is the cluster's registrar (<see cref="ContactResolver"/>).
/// </summary>
public interface IContactResolver
{
    /// <summary>The contacts to ring for <paramref name="aor"/> (the user part), best first; empty = unreachable.</summary>
    IReadOnlyList<Binding> Resolve(string aor);
}
