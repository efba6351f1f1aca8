using ArchUnitNET.Loader;
using ArchUnitNET.xUnit;
using static ArchUnitNET.Fluent.Slices.SliceRuleDefinition;

namespace Telephony.Architecture.Tests;

/// <summary>
/// No reference cycles between namespaces (folders) inside an assembly either: Sip's transport does not call back into
/// transactions, the registrar does not reach into the call layer, and so on. A cycle here is where the next feature
/// would have to edit both ends.
/// </summary>
public sealed class NamespaceCycleTests
{
    private static readonly ArchUnitNET.Domain.Architecture Loaded = new ArchLoader().LoadAssemblies(
        [.. AssemblyDependencyTests.Allowed.Keys.Select(System.Reflection.Assembly.Load)]).Build();

    [Theory]
    [InlineData("Telephony.Pbx.Sip.(*)..")]
    [InlineData("Telephony.Pbx.Media.(*)..")]
    [InlineData("Telephony.Pbx.Rtp.(*)..")]
    [InlineData("Telephony.Pbx.WebRtc.(*)..")]
    [InlineData("Telephony.Pbx.Queues.(*)..")]
    [InlineData("Telephony.Pbx.Calls.(*)..")]
    [InlineData("Telephony.Ivr.(*)..")]
    [InlineData("Telephony.Recording.(*)..")]
    public void Folders_of_an_assembly_have_no_cycles(string pattern) =>
        Slices().Matching(pattern).Should().BeFreeOfCycles().Check(Loaded);
}
