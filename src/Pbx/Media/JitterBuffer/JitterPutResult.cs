namespace Telephony.Pbx.Media.JitterBuffer;

/// <summary>Outcome of <see cref="AdaptiveJitterBuffer.Put"/>.</summary>
public enum JitterPutResult
{
    Stored,
    /// <summary>Arrived after its playout time; dropped.</summary>
    Late,
    /// <summary>Same sequence number already buffered; dropped.</summary>
    Duplicate,
    /// <summary>Payload larger than a slot; dropped.</summary>
    TooLarge,
    /// <summary>Stored after flushing the buffer because it jumped past the ring capacity.</summary>
    Resynchronized,
}
