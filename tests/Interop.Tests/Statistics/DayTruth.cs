using Telephony.Tests.Shared.Statistics;

namespace Telephony.Interop.Tests.Statistics;

/// <summary>
/// The over-SIP generator's own record of its compressed day (<see cref="CompressedDay"/>): each queue visit (entered
/// when the caller's INVITE was answered by the IVR, whose first node is the queue; answered when the agent's phone sent
/// 200 OK; abandoned when the caller sent BYE; overflowed at entry + the IVR node's max wait, entering the next queue at
/// that instant) and each agent state change it caused or saw (available at registration, ringing when the INVITE
/// arrived, on call when it answered, available again at a CANCEL, wrap-up when it or the caller hung up, available
/// after the queue's wrap-up, paused and resumed when it asked, logged out at un-registration). Expected report rows
/// are computed from it by the arithmetic shared with the in-process day (<see cref="DayGroundTruth"/>, tests/Shared),
/// with this day's thresholds.
/// </summary>
internal sealed class DayTruth(double serviceLevelSeconds, double shortAbandonSeconds)
    : DayGroundTruth(serviceLevelSeconds, shortAbandonSeconds)
{
    /// <summary>Reason marking the Available that ends a wrap-up: it does not happen when the agent was paused during the
    /// wrap-up (the pause takes over; see <see cref="Settle"/>).</summary>
    public const string WrapUpEnd = "(wrap-up end)";

    /// <summary>Drops each wrap-up end that fell while the agent was paused (the server keeps a pause asked during the
    /// wrap-up), and clears the marker of the others.</summary>
    public void Settle() => RewriteChanges(changes =>
    {
        var settled = new List<(string Agent, DateTimeOffset At, string State, string? Reason)>();
        foreach (var group in changes.GroupBy(c => c.Agent))
        {
            string state = "LoggedOut";
            foreach (var c in group.OrderBy(c => c.At))
            {
                if (c.Reason == WrapUpEnd)
                {
                    if (state != "WrapUp")
                    {
                        continue;
                    }
                    settled.Add((c.Agent, c.At, c.State, null));
                }
                else
                {
                    settled.Add(c);
                }
                state = c.State;
            }
        }
        return settled;
    });
}
