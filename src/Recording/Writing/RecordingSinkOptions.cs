namespace Telephony.Recording.Writing;

/// <summary>Tuning for <see cref="RecordingSink"/>.</summary>
public sealed class RecordingSinkOptions
{
    /// <summary>Frames the queue holds before new ones are dropped (250 × 20 ms = 5 s of slow disk).</summary>
    public int CapacityFrames { get; init; } = 250;

    /// <summary>Largest frame accepted per channel [samples] (480 = 60 ms at 8 kHz); larger frames are dropped.</summary>
    public int MaxFrameSamples { get; init; } = 480;

    /// <summary>2 for a call recording (caller left, our side right), 1 for a mono file of the left samples only
    /// (a voicemail message).</summary>
    public int Channels { get; init; } = 2;

    /// <summary>
    /// The writer whose threads drain this sink (and how often: <see cref="RecordingWriter.DrainInterval"/>);
    /// <see cref="RecordingWriter.Shared"/> when null.
    /// </summary>
    public RecordingWriter? Writer { get; init; }

    /// <summary>
    /// Called on the writer thread (never on the media loop) the first time frames are dropped for a full queue,
    /// and when writing fails. Exceptions thrown by the callback are logged and ignored.
    /// </summary>
    public Action<RecordingSinkAlert>? OnAlert { get; init; }

    /// <summary>Where a finished sink's frame buffers go and a new one takes some (tests use their own);
    /// <see cref="FrameSpares.Shared"/> when null.</summary>
    internal FrameSpares? Spares { get; init; }
}
