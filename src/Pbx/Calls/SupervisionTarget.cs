using Telephony.Pbx.Media;

namespace Telephony.Pbx.Calls;

/// <summary>
/// The two parties of an answered, bridged call that a supervisor may join: the agent's extension and the server-side
/// RTP sessions of the caller's and the agent's legs (both on one media loop, as bridges require).
/// </summary>
public sealed record SupervisionTarget(string Agent, RtpSession CallerMedia, RtpSession AgentMedia);
