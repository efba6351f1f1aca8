namespace Telephony.Cluster.Calls;

/// <summary>
/// What a survivor does with the calls of a dead node (their media is gone): every call record is closed as interrupted,
/// and every caller who was waiting in a queue is called back at their place in line (the original entry time and
/// priority) with an alert, when their number can be dialed; otherwise only the alert tells someone to call them.
/// </summary>
public static class LostCallers
{
    /// <summary>Longest number accepted for a callback (E.164 allows 15 digits; room for a prefix).</summary>
    public const int MaxNumberLength = 20;

    /// <summary>The waiting callers of <paramref name="orphans"/> in service order (the order to call them back in). A dead
    /// node's callbacks are not among them: they are no lost caller but pending rows of the callback store.</summary>
    public static IReadOnlyList<ClusterCall> WaitingInOrder(IEnumerable<ClusterCall> orphans)
    {
        ArgumentNullException.ThrowIfNull(orphans);
        var waiting = orphans.Where(c => c.IsWaiting && !c.IsCallback).ToList();
        waiting.Sort(ClusterCall.CompareWaitingOrder);
        return waiting;
    }

    /// <summary>
    /// The number to call <paramref name="caller"/> back on: digits with an optional leading '+', else null (anonymous,
    /// empty, a SIP user name, too long).
    /// </summary>
    public static string? CallbackNumberOf(string? caller)
    {
        if (string.IsNullOrWhiteSpace(caller))
        {
            return null;
        }
        var number = caller.Trim();
        var digits = number.StartsWith('+') ? number.AsSpan(1) : number.AsSpan();
        if (digits.Length is 0 or > MaxNumberLength)
        {
            return null;
        }
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return null;
            }
        }
        return number;
    }

    /// <summary>The id of the callback made for lost call <paramref name="callId"/> (stable: the same call never gets two).</summary>
    public static string CallbackIdOf(string callId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callId);
        return "lost-" + callId;
    }
}
