using Telephony.Pbx.Media;
using Telephony.Recording.Writing;

namespace Telephony.Host.Voicemail;

/// <summary>
/// The media tap of one voicemail message on the caller's leg (<see cref="RtpSession.AddTap"/>): every 20 ms frame the
/// caller sends goes to the mono <see cref="RecordingSink"/>, and its energy decides speech or silence (counted for the
/// silence timeout and "nothing said"). Runs on the media loop: no allocation, no lock, no I/O.
/// </summary>
public sealed class VoicemailTap(IPcmFrameSink sink, int speechLevel) : IMediaTap
{
    private readonly long _threshold = (long)speechLevel * speechLevel;
    private int _frames;
    private int _speechFrames;
    private int _silentRun;

    /// <summary>Frames seen.</summary>
    public int Frames => Volatile.Read(ref _frames);

    /// <summary>Frames judged speech.</summary>
    public int SpeechFrames => Volatile.Read(ref _speechFrames);

    /// <summary>Silent frames since the last speech (or since the start).</summary>
    public int SilentRun => Volatile.Read(ref _silentRun);

    public void OnFrame(ReadOnlySpan<short> received, ReadOnlySpan<short> sent)
    {
        sink.TryWrite(received, default);
        long energy = 0;
        foreach (short s in received)
        {
            energy += s * s;
        }
        Volatile.Write(ref _frames, _frames + 1);
        if (received.Length > 0 && energy > _threshold * received.Length)
        {
            Volatile.Write(ref _speechFrames, _speechFrames + 1);
            Volatile.Write(ref _silentRun, 0);
        }
        else
        {
            Volatile.Write(ref _silentRun, _silentRun + 1);
        }
    }
}
