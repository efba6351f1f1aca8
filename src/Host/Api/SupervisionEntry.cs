using System.Text.Json.Serialization;
using Telephony.Pbx.Calls;

namespace Telephony.Host.Api;

/// <summary>One active supervision as <c>GET /api/supervise</c> lists it; <see cref="Node"/> names the cluster node that
/// has it (absent on a single server). Also the body of the cluster bus's <c>supervise.listed</c> answers.</summary>
public sealed record SupervisionEntry(string Id, string Supervisor, string? Agent, string CallId, string Mode, bool Originated, bool Joined,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Node = null)
{
    /// <summary>The entry of supervisor call <paramref name="call"/> on node <paramref name="node"/> (null: a single server).</summary>
    public static SupervisionEntry Of(SupervisorCall call, string? node)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new(call.Id, call.SupervisorNumber, call.Agent, call.Target.Id, call.Mode.ToString(), call.IsOriginated,
            call.Joined.IsCompletedSuccessfully && call.Joined.Result, node);
    }

    /// <summary>This node's supervisions in progress.</summary>
    public static List<SupervisionEntry> Local(Telephony.Pbx.Server.PbxServer server, string? node)
    {
        ArgumentNullException.ThrowIfNull(server);
        return [.. server.Calls.Calls.OfType<SupervisorCall>().Where(c => !c.IsEnded).Select(c => Of(c, node))];
    }
}
