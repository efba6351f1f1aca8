using Telephony.Ivr.Conditions;
using Telephony.Ivr.Loading;

namespace Telephony.Ivr.Tests.Conditions;

public sealed class ConditionTests
{
    private static readonly Dictionary<string, IReadOnlySet<string>> Lists = new()
    {
        ["vip"] = new HashSet<string> { "+15550000001" },
    };

    private static bool Eval(string yaml, Dictionary<string, string> variables)
    {
        var flow = YamlFlowLoader.LoadText($$"""
            lists:
              vip: ["+15550000001"]
            flows:
              t:
                numbers: ["1"]
                start: c
                on_error: no
                nodes:
                  c:
                    type: condition
                    branches:
                      - if: {{yaml}}
                        next: yes
                    else: no
                  yes: { type: hangup }
                  no: { type: hangup }
            """, "c.yaml");
        Assert.True(flow.Succeeded, string.Join("\n", flow.Errors));
        var node = (Telephony.Ivr.Model.ConditionNode)flow.Flows!.Flows[0].Nodes["c"];
        return node.Branches[0].Evaluate(new ConditionContext(variables.GetValueOrDefault, Lists));
    }

    [Theory]
    [InlineData("{ var: caller, in_list: vip }", "+15550000001", true)]
    [InlineData("{ var: caller, in_list: vip }", "+15550000002", false)]
    [InlineData("{ var: caller, equals: \"+15550000002\" }", "+15550000002", true)]
    [InlineData("{ var: caller, not_equals: \"+15550000002\" }", "+15550000002", false)]
    [InlineData("{ var: caller, starts_with: \"+1\" }", "+15550000002", true)]
    [InlineData("{ var: caller, in: [\"1\", \"+15550000002\"] }", "+15550000002", true)]
    [InlineData("{ var: caller, matches: \"^\\\\+1555\" }", "+15550000002", true)]
    [InlineData("{ var: caller, matches: \"^\\\\+49\" }", "+15550000002", false)]
    [InlineData("{ not: { var: caller, in_list: vip } }", "+15550000002", true)]
    public void Caller_tests(string condition, string caller, bool expected) =>
        Assert.Equal(expected, Eval(condition, new() { ["caller"] = caller }));

    [Theory]
    [InlineData("{ var: account, at_least: 500000 }", "900001", true)]
    [InlineData("{ var: account, at_most: 500000 }", "900001", false)]
    [InlineData("{ var: account, at_least: 5 }", "abc", false)]
    [InlineData("{ var: account, is_set: true }", "123", true)]
    [InlineData("{ var: missing, is_set: false }", "123", true)]
    [InlineData("{ var: missing, equals: \"\" }", "123", false)]
    [InlineData("{ all: [ { var: account, starts_with: \"9\" }, { var: account, matches: \"^[0-9]{6}$\" } ] }", "900001", true)]
    [InlineData("{ all: [ { var: account, starts_with: \"9\" }, { var: account, matches: \"^[0-9]{7}$\" } ] }", "900001", false)]
    [InlineData("{ any: [ { var: account, starts_with: \"8\" }, { var: account, equals: \"900001\" } ] }", "900001", true)]
    public void Collected_variable_tests(string condition, string account, bool expected) =>
        Assert.Equal(expected, Eval(condition, new() { ["account"] = account }));

    [Fact]
    public void First_matching_branch_wins_and_else_catches_the_rest()
    {
        var flow = Engine.FlowText.Load("""
            lists: { vip: ["+15550000001"] }
            flows:
              t:
                numbers: ["1"]
                start: route
                on_error: other
                nodes:
                  route:
                    type: condition
                    branches:
                      - if: { var: caller, in_list: vip }
                        next: vip
                      - if: { var: caller, starts_with: "+1" }
                        next: us
                    else: other
                  vip: { type: hangup, prompt: vip }
                  us: { type: hangup, prompt: us }
                  other: { type: hangup, prompt: other }
            """);
        string Route(string caller)
        {
            var channel = new Engine.RecordingChannel();
            new Telephony.Ivr.Engine.IvrCall(flow, channel, caller, "1").Start();
            return channel.Actions.Single();
        }
        Assert.Equal("hangup vip", Route("+15550000001"));
        Assert.Equal("hangup us", Route("+15550000002"));
        Assert.Equal("hangup other", Route("+4930123"));
    }
}
