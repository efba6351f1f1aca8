using System.Collections.Concurrent;
using System.Text.Json;
using Telephony.Cluster.Bus;
using Telephony.Host.Api;

namespace Telephony.Host.Cluster;

/// <summary>
/// <c>GET /api/supervise</c> across the cluster: the asking node sends <see cref="ListKind"/> to every node and gathers
/// their <see cref="ListedKind"/> answers (each node's supervisions in progress, addressed to the asker), until every node
/// it heard from within <see cref="BusLiveView.SilentAfter"/> has answered or <see cref="Within"/> has passed (a node that
/// does not answer in time is left out of that list). Scatter-gather on the bus rather than a request/reply: every node
/// answers, not only the first.
/// </summary>
public sealed class BusSupervisionList
{
    /// <summary>Message kinds: the question (to all) and each node's answer (to the asker).</summary>
    public const string ListKind = "supervise.list", ListedKind = "supervise.listed";

    /// <summary>How long the asker waits for the other nodes' answers at most.</summary>
    public static readonly TimeSpan Within = TimeSpan.FromSeconds(1);

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<string, Gathering> _gatherings = new(StringComparer.Ordinal);

    /// <summary>The answer body: which request it answers and the node's supervisions.</summary>
    internal sealed record Listed(string Request, List<SupervisionEntry> Supervisions);

    /// <summary>The other nodes' supervisions in progress (this node's are not included).</summary>
    public async Task<IReadOnlyList<SupervisionEntry>> GatherAsync(BusNode bus, TimeProvider time, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(bus);
        var expected = bus.View.LiveNodes;
        if (!bus.Enabled || expected.Count == 0)
        {
            return [];
        }
        var request = BusMessage.Create(ListKind, bus.Node, null);
        var gathering = new Gathering(expected);
        _gatherings[request.Id] = gathering;
        try
        {
            bus.Publish(request);
            await gathering.Done.Task.WaitAsync(Within, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Answers from the nodes that replied in time.
        }
        finally
        {
            _gatherings.TryRemove(request.Id, out _);
        }
        return gathering.Entries();
    }

    /// <summary>Answers another node's <see cref="ListKind"/> with this node's supervisions.</summary>
    internal static void Answer(BusNode bus, BusMessage question, List<SupervisionEntry> local) =>
        bus.Publish(ListedKind, JsonSerializer.SerializeToElement(new Listed(question.Id, local), Web), question.From);

    /// <summary>Takes a <see cref="ListedKind"/> answer (ignored when its request is over).</summary>
    internal void OnListed(BusMessage message)
    {
        if (message.Body is { } body && body.Deserialize<Listed>(Web) is { } listed && _gatherings.TryGetValue(listed.Request, out var gathering))
        {
            gathering.Add(message.From, listed.Supervisions ?? []);
        }
    }

    private sealed class Gathering(IReadOnlyCollection<string> expected)
    {
        private readonly Lock _gate = new();
        private readonly HashSet<string> _missing = [.. expected];
        private readonly List<SupervisionEntry> _entries = [];

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Add(string node, List<SupervisionEntry> entries)
        {
            lock (_gate)
            {
                _entries.AddRange(entries.Select(e => e with { Node = e.Node ?? node }));
                _missing.Remove(node);
                if (_missing.Count == 0)
                {
                    Done.TrySetResult();
                }
            }
        }

        public List<SupervisionEntry> Entries()
        {
            lock (_gate)
            {
                return [.. _entries];
            }
        }
    }
}
