using System.Net;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Sip.Registrar;
using Telephony.Pbx.Sip.Transport;

namespace Telephony.Pbx.Calls;

/// <summary>
/// The node's <see cref="IContactResolver"/>: the contacts registered here (<see cref="LocationTable"/>, RFC 3261 §10.3),
/// and, on a cluster node (<see cref="ClusterOptions.Proxy"/> set) when there are none, one contact through the proxy
/// (<c>sip:&lt;aor&gt;@&lt;proxy&gt;</c>, sent to the proxy over UDP), which is the cluster's registrar and answers 404
/// when the person has no phone registered anywhere (RFC 3261 §16.5 / §21.4.5).
/// </summary>
public sealed class ContactResolver : IContactResolver
{
    /// <summary>How far ahead the synthetic proxy binding "expires" (never stored; only read by forking).</summary>
    private static readonly TimeSpan ProxyBindingLifetime = TimeSpan.FromMinutes(1);

    private readonly LocationTable _locations;
    private readonly IPEndPoint? _proxy;
    private readonly TimeProvider _time;

    /// <param name="proxy">The cluster proxy, or null on a single server (then this is the location table alone).</param>
    public ContactResolver(LocationTable locations, IPEndPoint? proxy, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(locations);
        ArgumentNullException.ThrowIfNull(time);
        _locations = locations;
        _proxy = proxy;
        _time = time;
    }

    /// <summary>The resolver the configuration asks for: through the proxy when <c>cluster.proxy</c> is set.</summary>
    public static ContactResolver For(LocationTable locations, PbxOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new ContactResolver(locations, options.Cluster.ProxyEndPoint, time);
    }

    /// <summary>True when people not registered here are reached through a proxy.</summary>
    public bool UsesProxy => _proxy is not null;

    /// <inheritdoc/>
    public IReadOnlyList<Binding> Resolve(string aor)
    {
        ArgumentNullException.ThrowIfNull(aor);
        var local = _locations.GetBindings(aor);
        if (local.Count > 0 || _proxy is null || aor.Length == 0)
        {
            return local;
        }
        var now = _time.GetUtcNow();
        var uri = $"sip:{aor}@{ClusterOptions.HostPort(_proxy)}";
        return [new Binding(aor, uri, now + ProxyBindingLifetime, 1.0, CallId: "", CSeq: 0,
            Source: new SipEndPoint(SipProtocol.Udp, _proxy), InstanceId: null, UpdatedAt: now)];
    }
}
