using Telephony.Host.Api;
using Telephony.Recording.Storage;

namespace Telephony.Host.Tests.Api;

public class AgentCallbacksApiTests
{
    private static readonly HashSet<string> Queues = ["support", "operator"];

    private static CallbackRecord Callback(string queue, string status, string? agent = null, string? requestedBy = null) =>
        new() { Id = "cb", Queue = queue, Status = status, Agent = agent, RequestedBy = requestedBy };

    [Fact]
    public void Pending_callbacks_of_the_agents_queues_are_its_tasks_closed_ones_only_when_it_made_or_asked_for_them()
    {
        Assert.True(AgentCallbacksApi.IsTaskOf(Callback("support", "Pending"), "1001", Queues));
        Assert.False(AgentCallbacksApi.IsTaskOf(Callback("sales", "Pending"), "1001", Queues));
        Assert.False(AgentCallbacksApi.IsTaskOf(Callback("support", "Completed", agent: "1002"), "1001", Queues));
        Assert.True(AgentCallbacksApi.IsTaskOf(Callback("support", "Completed", agent: "1001"), "1001", Queues));
        Assert.True(AgentCallbacksApi.IsTaskOf(Callback("sales", "Cancelled", requestedBy: "1001"), "1001", Queues));
        Assert.True(AgentCallbacksApi.IsTaskOf(Callback("sales", "Pending", agent: "1001"), "1001", Queues));
        Assert.False(AgentCallbacksApi.IsTaskOf(Callback("sales", "Failed", agent: "1003", requestedBy: "web-shop"), "1001", Queues));
    }
}
