using Telephony.Pbx.Media.Mixer;

namespace Telephony.Pbx.Calls;

/// <summary>
/// One step of a supervision, for the supervised call's record and event log: <paramref name="Kind"/> is
/// <c>started</c>, <c>mode</c> or <c>ended</c>; <paramref name="Mode"/> is the mode from then on (the last one for
/// <c>ended</c>).
/// </summary>
public sealed record SupervisionEvent(string Kind, string Supervisor, string Agent, SupervisorMode Mode,
    DateTimeOffset At, string SupervisorCallId);
