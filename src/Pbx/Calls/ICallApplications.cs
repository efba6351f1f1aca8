namespace Telephony.Pbx.Calls;

/// <summary>
/// The applications behind the numbers the PBX does not answer itself (the IVR's trees, the agents' feature codes):
/// the router sends a dialed number here when <see cref="Answers"/> claims it, and the call layer hands each answered
/// <see cref="ApplicationCall"/> to <see cref="StartAsync"/>. Implemented by the host.
/// </summary>
public interface ICallApplications
{
    /// <summary>True when an application answers <paramref name="dialed"/>.</summary>
    bool Answers(string dialed);

    /// <summary>Takes over a call the server has answered (the caller hears silence until the application plays).</summary>
    ValueTask StartAsync(ApplicationCall call);

    /// <summary>The server's call manager exists: applications that originate calls (callbacks) keep
    /// <paramref name="originator"/>. Called once, when the server is built (default: ignored).</summary>
    void Attach(ICallOriginator originator)
    {
    }
    /// <summary>
    /// The person bridged to <paramref name="call"/>'s caller (a queue agent, an extension, an external number: the
    /// <paramref name="agent"/> leg) hung up first. True keeps the caller on the server: the call lets that leg go, the
    /// caller hears silence and the application goes on with them (a post-call survey); false (the default) ends the call
    /// as before. Called on the call's executor before the leg is let go: decide quickly, start any work elsewhere.
    /// </summary>
    bool ContinueAfterAgent(ApplicationCall call, AgentLeg agent) => false;
}
