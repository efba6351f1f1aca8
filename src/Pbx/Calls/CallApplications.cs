namespace Telephony.Pbx.Calls;

/// <summary>Ready-made <see cref="ICallApplications"/> and <see cref="IAgentTransfers"/>.</summary>
public static class CallApplications
{
    /// <summary>No application answers any number (a plain PBX: test numbers and extensions only).</summary>
    public static ICallApplications None { get; } = new NoApplications();

    /// <summary>No transfers: REFER is refused with 405, a take-over only hangs up the agent.</summary>
    public static IAgentTransfers NoTransfers { get; } = new NoAgentTransfers();

    private sealed class NoApplications : ICallApplications
    {
        public bool Answers(string dialed) => false;

        public ValueTask StartAsync(ApplicationCall call)
        {
            ArgumentNullException.ThrowIfNull(call);
            call.Hangup("no application");
            return ValueTask.CompletedTask;
        }
    }

    private sealed class NoAgentTransfers : IAgentTransfers
    {
        public bool AcceptsTransfers => false;

        public Task<int> BlindTransferAsync(ApplicationCall call, AgentLeg agent, string target) => Task.FromResult(405);

        public void OnAgentTakenOver(ApplicationCall call, string agent, string supervisor)
        {
        }
    }
}
