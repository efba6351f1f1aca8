namespace Telephony.Ivr.Model;

/// <summary>Every flow of one <c>ivr.yaml</c> file, indexed by dialed number. Immutable snapshot of one load.</summary>
public sealed class IvrFlowSet
{
    private readonly Dictionary<string, IvrFlow> _byNumber;

    public IvrFlowSet(string file, IReadOnlyList<IvrFlow> flows, int version, DateTimeOffset loadedAt)
    {
        File = file;
        Flows = flows;
        Version = version;
        LoadedAt = loadedAt;
        _byNumber = new Dictionary<string, IvrFlow>(StringComparer.Ordinal);
        foreach (var flow in flows)
        {
            foreach (var number in flow.Numbers)
            {
                _byNumber[number] = flow;
            }
        }
    }

    public string File { get; }
    public IReadOnlyList<IvrFlow> Flows { get; }

    /// <summary>1 for the first good load, incremented by each accepted reload.</summary>
    public int Version { get; }

    public DateTimeOffset LoadedAt { get; }

    /// <summary>The flow that answers <paramref name="dialedNumber"/>, or null.</summary>
    public IvrFlow? FindByNumber(string dialedNumber) =>
        _byNumber.TryGetValue(dialedNumber, out var flow) ? flow : null;

    /// <summary>The flow named <paramref name="name"/>, or null.</summary>
    public IvrFlow? FindByName(string name) => Flows.FirstOrDefault(f => f.Name == name);
}
