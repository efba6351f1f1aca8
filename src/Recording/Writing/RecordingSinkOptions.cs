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
    /// How often the writer task drains the queue to disk (must be well under the queue's length in time). Each drain is
    /// one timer wake-up and one write system call per recording (the file buffer holds a drain's batch: 250 ms of PCM16
    /// stereo is 8 KB): at 1,000 recorded calls, 100 ms meant 10,000 wake-ups and writes a second, ~5 % of the server's
    /// CPU. A process kill loses at most this much audio (<see cref="WavRepair"/> fixes the header).
    /// </summary>
    public TimeSpan DrainInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Called on the writer task (never on the media loop) the first time frames are dropped for a full queue,
    /// and when writing fails. Exceptions thrown by the callback are logged and ignored.
    /// </summary>
    public Action<RecordingSinkAlert>? OnAlert { get; init; }
}
