namespace Telephony.Cluster.Calls;

/// <summary>
/// A node's pending callbacks in its queues' cluster lines (<c>cluster_calls</c>, kind <c>callback</c>): each round the
/// node gives its scheduler's callbacks (<see cref="SyncAsync"/>) and only the changes are written. A new callback enters
/// at its original arrival; one re-timed (a retry after busy or no answer, opening hours) or back from an attempt is
/// written again with its agent released; one gone from the scheduler (completed, failed, expired, cancelled) leaves. While
/// its attempt runs the row stays assigned to the agent, so no owner offers that agent anything else. A row another node
/// holds (the same stored callback restored by two nodes at start-up) is left alone for good, never taken over when it
/// goes: it goes when that node completed the callback, and dialling this node's copy then would call the customer twice.
/// One instance per node, used by one loop (not thread-safe).
/// </summary>
/// <param name="node">This node.</param>
/// <param name="store">The shared line.</param>
public sealed class CallbackLine(string node, ICallbackLineStore store)
{
    private readonly Dictionary<string, LocalCallback> _written = new(StringComparer.Ordinal);
    private readonly HashSet<string> _heldElsewhere = new(StringComparer.Ordinal);

    /// <summary>True when no callback of this node is in a line.</summary>
    public bool IsEmpty => _written.Count == 0;

    /// <summary>The callbacks of this node now in a line, by id.</summary>
    public IReadOnlyCollection<string> Written => _written.Keys;

    /// <summary>This node's copies of callbacks whose row another node holds: never dialled here.</summary>
    public IReadOnlyCollection<string> HeldElsewhere => _heldElsewhere;

    /// <summary>Writes what changed since the last round; returns the ids that left the line. A database error stops the
    /// round (what was not written is written next time).</summary>
    public async Task<IReadOnlyList<string>> SyncAsync(IReadOnlyList<LocalCallback> pending, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pending);
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var callback in pending)
        {
            present.Add(callback.Id);
            if (_heldElsewhere.Contains(callback.Id))
            {
                continue;
            }
            if (!_written.TryGetValue(callback.Id, out var before))
            {
                // An attempt this line never saw begin (not through an owner) has nothing to mirror until it waits again.
                if (!callback.Attempting)
                {
                    if (await PutAsync(callback, release: false, ct).ConfigureAwait(false))
                    {
                        _written[callback.Id] = callback;
                    }
                    else
                    {
                        _heldElsewhere.Add(callback.Id);
                    }
                }
                continue;
            }
            var retimed = before.NotBefore != callback.NotBefore;
            var back = before.Attempting && !callback.Attempting;
            var moved = before.Queue != callback.Queue || before.Priority != callback.Priority || before.ArrivedAt != callback.ArrivedAt;
            if (callback.Attempting || !(retimed || back || moved))
            {
                _written[callback.Id] = callback;
                continue;
            }
            if (await PutAsync(callback, release: retimed || back, ct).ConfigureAwait(false))
            {
                _written[callback.Id] = callback;
            }
            else
            {
                _written.Remove(callback.Id); // another node holds it now
                _heldElsewhere.Add(callback.Id);
            }
        }
        _heldElsewhere.RemoveWhere(id => !present.Contains(id));
        var left = new List<string>();
        foreach (var id in _written.Keys.Where(id => !present.Contains(id)).ToList())
        {
            await store.EndAsync(id, ct).ConfigureAwait(false);
            _written.Remove(id);
            left.Add(id);
        }
        return left;
    }

    private Task<bool> PutAsync(LocalCallback callback, bool release, CancellationToken ct) =>
        store.PutCallbackAsync(callback.Id, node, callback.Queue, callback.Priority, callback.ArrivedAt, callback.NotBefore, release, ct);
}
