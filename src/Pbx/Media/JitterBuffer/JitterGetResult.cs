namespace Telephony.Pbx.Media.JitterBuffer;

/// <summary>Outcome of <see cref="AdaptiveJitterBuffer.TryGet"/> for one playout tick.</summary>
public enum JitterGetResult
{
    /// <summary>A frame was copied out.</summary>
    Frame,
    /// <summary>The frame due now is missing (lost or late); conceal it.</summary>
    Missing,
    /// <summary>Filling up to the target depth (start or after an underrun); play silence.</summary>
    Buffering,
}
