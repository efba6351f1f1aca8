namespace Telephony.Recording.Writing;

/// <summary>
/// Port the media layer feeds with one frame of 8 kHz linear audio per tick: the caller's side and our side
/// (everything the caller hears: IVR prompts, agent, supervisor). Implementations never block and never
/// allocate per frame, so a real-time media loop may call <see cref="TryWrite"/> directly.
/// </summary>
public interface IPcmFrameSink
{
    /// <summary>
    /// Hands over one frame (spans are copied before returning). Returns false when the frame was dropped
    /// (queue full, writer failed, or sink closed); never throws for those cases.
    /// </summary>
    bool TryWrite(ReadOnlySpan<short> left, ReadOnlySpan<short> right);
}
