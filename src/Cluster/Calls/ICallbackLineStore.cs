namespace Telephony.Cluster.Calls;

/// <summary>What <see cref="CallbackLine"/> writes (PostgreSQL in production: <see cref="ClusterCallStore"/>).</summary>
public interface ICallbackLineStore
{
    /// <summary><see cref="ClusterCallStore.PutCallbackAsync"/>.</summary>
    Task<bool> PutCallbackAsync(string callbackId, string node, string queue, int priority, DateTimeOffset arrivedAt, DateTimeOffset? notBefore,
        bool release, CancellationToken ct = default);

    /// <summary><see cref="ClusterCallStore.EndAsync"/>: the row goes.</summary>
    Task EndAsync(string callId, CancellationToken ct = default);
}
