using Telephony.Tests.Shared.Statistics;

namespace Telephony.Calls.Tests.Statistics;

/// <summary>
/// The generator's own record of the day: each queue visit (entered when the caller pressed the digit, answered when the
/// agent's phone sent 200 OK, abandoned when the caller hung up, overflowed at entry + the 5-minute max wait) and each
/// agent state change it caused or saw (logged in at registration, ringing when the INVITE arrived, on call at its
/// answer, wrap-up at its hang-up for the queue's 10 s, paused and resumed when it asked). Expected report rows are
/// computed from it by the arithmetic shared with the over-SIP day (<see cref="DayGroundTruth"/>, tests/Shared), with
/// the queues' 20 s service level and 5 s short abandon.
/// </summary>
internal sealed class GroundTruth() : DayGroundTruth(ServiceLevelSeconds, ShortAbandonSeconds)
{
    public const double ServiceLevelSeconds = 20;

    public const double ShortAbandonSeconds = 5;
}
