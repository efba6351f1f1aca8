using Microsoft.Extensions.Logging;
using Telephony.Pbx.Media;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Calls;

/// <summary>
/// What the dialing components (<see cref="AgentDialer"/>: ringing people's registered contacts; <see cref="TrunkDialer"/>:
/// calling out through a trunk) need from the call kind they work for: an <see cref="ApplicationCall"/> (a caller on
/// the line reaches agents and external numbers) or a <see cref="CallbackCall"/> (the server rings an agent, then the
/// customer). They run on <see cref="Call"/>'s executor.
/// </summary>
internal interface IDialingCall
{
    /// <summary>The call the new legs belong to (executor, context, media wiring, registry).</summary>
    Call Call { get; }

    ILogger CallLogger { get; }

    /// <summary>The session new legs' media share a loop with (bridged sessions must), or null: any loop.</summary>
    RtpSession? AnchorMedia { get; }

    /// <summary>The From shown on INVITEs to agents (RFC 3261 §8.1.1.3); its host is replaced per contact.</summary>
    NameAddress CallerIdentity { get; }

    /// <summary>The From user towards a trunk, unless the trunk fixes a caller id.</summary>
    string CallerNumber { get; }

    /// <summary>The customer contact, for logs.</summary>
    string InteractionId { get; }

    /// <summary>Max-Forwards of our INVITEs (RFC 3261 §8.1.1.6).</summary>
    int MaxForwards { get; }

    /// <summary>True once a person is bridged: a trunk's ringback or early media is no longer handed over.</summary>
    bool HasBridgedParty { get; }

    /// <summary>CANCELs a ringing leg (BYE if answered but not bridged).</summary>
    void CancelRing(AgentLeg leg);

    /// <summary>Connects the answered <paramref name="leg"/> to the other party.</summary>
    void Bridge(AgentLeg leg);
}
