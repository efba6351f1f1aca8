using System.Reflection;

namespace Telephony.Architecture.Tests;

/// <summary>
/// The assemblies' dependencies point one way (src/Pbx/README.md draws them): each Telephony assembly may reference only
/// the Telephony assemblies listed for it here. The compiler enforces what a project references; this test fails when a
/// project file gains a reference that turns the layering around.
/// </summary>
public sealed class AssemblyDependencyTests
{
    /// <summary>Allowed Telephony references per assembly (anything not listed is forbidden).</summary>
    public static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        ["Telephony.Pbx.Contracts"] = [],
        ["Telephony.Pbx.Sip"] = [],
        ["Telephony.Pbx.Sdp"] = [],
        ["Telephony.Pbx.Rtp"] = [],
        ["Telephony.Pbx.WebRtc"] = [],
        ["Telephony.Pbx.Media"] = ["Telephony.Pbx.Rtp", "Telephony.Pbx.WebRtc", "Telephony.Pbx.Contracts"],
        ["Telephony.Pbx.Queues"] = ["Telephony.Pbx.Contracts"],
        ["Telephony.Pbx.Calls"] =
        [
            "Telephony.Pbx.Sip", "Telephony.Pbx.Sdp", "Telephony.Pbx.Rtp", "Telephony.Pbx.WebRtc", "Telephony.Pbx.Media",
            "Telephony.Pbx.Queues", "Telephony.Pbx.Contracts",
        ],
        ["Telephony.Pbx.Server"] =
        [
            "Telephony.Pbx.Calls", "Telephony.Pbx.Sip", "Telephony.Pbx.Sdp", "Telephony.Pbx.Rtp", "Telephony.Pbx.WebRtc",
            "Telephony.Pbx.Media", "Telephony.Pbx.Queues", "Telephony.Pbx.Contracts",
        ],
        ["Telephony.Ivr"] = ["Telephony.Pbx.Contracts"],
        ["Telephony.Recording"] = ["Telephony.Pbx.Contracts"],
        ["Telephony.Cluster"] = [],
    };

    public static TheoryData<string> Assemblies() => [.. Allowed.Keys];

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Assembly_references_only_the_layers_below_it(string name)
    {
        var assembly = Assembly.Load(name);
        var telephony = assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Telephony.", StringComparison.Ordinal))
            .ToList();
        var forbidden = telephony.Except(Allowed[name], StringComparer.Ordinal).ToList();
        Assert.True(forbidden.Count == 0,
            $"{name} references {string.Join(", ", forbidden)}; allowed: [{string.Join(", ", Allowed[name])}]");
    }

    [Fact]
    public void Every_telephony_assembly_in_the_host_is_listed()
    {
        var loaded = typeof(Telephony.Host.Api.EventStream).Assembly.GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(n => n.StartsWith("Telephony.", StringComparison.Ordinal));
        var pbx = Assembly.Load("Telephony.Pbx.Server").GetReferencedAssemblies().Select(a => a.Name!)
            .Where(n => n.StartsWith("Telephony.", StringComparison.Ordinal));
        var unknown = loaded.Concat(pbx).Distinct().Where(n => !Allowed.ContainsKey(n)).ToList();
        Assert.True(unknown.Count == 0, $"add these assemblies to the dependency table: {string.Join(", ", unknown)}");
    }
}
