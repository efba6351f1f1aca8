namespace Telephony.Pbx.Media;

/// <summary>What drives the media loops' 20 ms ticks (RFC 3551 §4.2: 20 ms packetization).</summary>
public enum MediaPacing
{
    /// <summary>One real-time thread per loop on absolute deadlines (production).</summary>
    LoopThreads,

    /// <summary>
    /// A periodic timer of the engine's <see cref="TimeProvider"/> ticks every loop: with a FakeTimeProvider,
    /// advancing the clock runs media in step with every other timer (SIP transactions, ring timeouts).
    /// </summary>
    TimeProvider,

    /// <summary>Nothing ticks until the caller does (<see cref="MediaEngine.Tick"/>): unit tests step time by hand.</summary>
    Manual,
}
