namespace Telephony.Pbx.Sip.Transactions;

/// <summary>
/// Transaction timer values of RFC 3261 §17 (table 4 in Appendix A) and RFC 6026 §8 (timers L and M),
/// all derived from <see cref="T1"/>, <see cref="T2"/> and <see cref="T4"/>. Timers that are zero on reliable
/// transports come as methods taking <c>reliable</c>.
/// </summary>
public sealed record SipTimers
{
    /// <summary>The default values: T1 = 500 ms, T2 = 4 s, T4 = 5 s.</summary>
    public static SipTimers Default { get; } = new();

    /// <summary>RTT estimate (RFC 3261 §17.1.1.1), 500 ms.</summary>
    public TimeSpan T1 { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Maximum retransmit interval for non-INVITE requests and INVITE responses, 4 s.</summary>
    public TimeSpan T2 { get; init; } = TimeSpan.FromSeconds(4);

    /// <summary>Maximum duration a message remains in the network, 5 s.</summary>
    public TimeSpan T4 { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Wait for a provisional response before the server sends 100 Trying itself (RFC 3261 §17.2.1), 200 ms.</summary>
    public TimeSpan TryingDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Timer A: initial INVITE retransmit interval (UDP only), T1; doubles each time without cap.</summary>
    public TimeSpan A => T1;

    /// <summary>Timer B: INVITE transaction timeout, 64*T1.</summary>
    public TimeSpan B => 64 * T1;

    /// <summary>Timer D on UDP: wait time for response retransmits, 32 s (at least 64*T1).</summary>
    public TimeSpan D => Max(TimeSpan.FromSeconds(32), 64 * T1);

    /// <summary>Timer E: initial non-INVITE retransmit interval (UDP only), T1; doubles up to T2.</summary>
    public TimeSpan E => T1;

    /// <summary>Timer F: non-INVITE transaction timeout, 64*T1.</summary>
    public TimeSpan F => 64 * T1;

    /// <summary>Timer G: initial INVITE final response retransmit interval (UDP only), T1; doubles up to T2.</summary>
    public TimeSpan G => T1;

    /// <summary>Timer H: wait time for ACK receipt, 64*T1.</summary>
    public TimeSpan H => 64 * T1;

    /// <summary>Timer I on UDP: wait time for ACK retransmits, T4.</summary>
    public TimeSpan I => T4;

    /// <summary>Timer J on UDP: wait time for non-INVITE request retransmits, 64*T1.</summary>
    public TimeSpan J => 64 * T1;

    /// <summary>Timer K on UDP: wait time for response retransmits, T4.</summary>
    public TimeSpan K => T4;

    /// <summary>Timer L (RFC 6026 §8.7): INVITE server transaction stays Accepted, 64*T1.</summary>
    public TimeSpan L => 64 * T1;

    /// <summary>Timer M (RFC 6026 §8.4): INVITE client transaction stays Accepted, 64*T1.</summary>
    public TimeSpan M => 64 * T1;

    /// <summary>Timer D for the transport: 0 when reliable.</summary>
    public TimeSpan TimerD(bool reliable) => reliable ? TimeSpan.Zero : D;

    /// <summary>Timer I for the transport: 0 when reliable.</summary>
    public TimeSpan TimerI(bool reliable) => reliable ? TimeSpan.Zero : I;

    /// <summary>Timer J for the transport: 0 when reliable.</summary>
    public TimeSpan TimerJ(bool reliable) => reliable ? TimeSpan.Zero : J;

    /// <summary>Timer K for the transport: 0 when reliable.</summary>
    public TimeSpan TimerK(bool reliable) => reliable ? TimeSpan.Zero : K;

    /// <summary>Next INVITE retransmit interval after <paramref name="current"/> (timer A doubles, no cap).</summary>
    public static TimeSpan NextA(TimeSpan current) => current * 2;

    /// <summary>Next interval for timers E and G: double, capped at T2.</summary>
    public TimeSpan NextCapped(TimeSpan current) => Min(current * 2, T2);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
