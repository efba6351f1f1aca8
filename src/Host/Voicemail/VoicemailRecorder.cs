using System.Collections.Concurrent;
using System.Globalization;
using Telephony.Host.Recording;
using Telephony.Ivr.Engine;
using Telephony.Pbx.Calls;
using Telephony.Recording.Alerts;
using Telephony.Recording.Storage;
using Telephony.Recording.Writing;

namespace Telephony.Host.Voicemail;

/// <summary>
/// Records voicemail messages for the IVR's <c>voicemail</c> node (the channel side of <see cref="IIvrChannel.RecordAsync"/>):
/// a <see cref="VoicemailTap"/> on the caller's leg feeds a mono <see cref="RecordingSink"/> (the crash-safe WAV writer of
/// call recordings), a row in <c>voicemails</c> is opened as <see cref="VoicemailStatus.Recording"/>, and the recording ends
/// on <see cref="Stop"/>, after the request's silence, at its maximum length, or when the caller hangs up. A finished
/// message is pending until the IVR keeps (<see cref="Save"/>: status New, <c>voicemail.left</c> event, <c>voicemail</c>
/// alert with the link to the audio) or discards it; one still pending when the call ends is kept, so a message is never
/// lost (and one cut by a crash is repaired at start-up by <see cref="VoicemailRecovery"/>). Database work runs on the
/// <see cref="StorageQueue"/>.
/// </summary>
public sealed partial class VoicemailRecorder(VoicemailSettings settings, Database database, StorageQueue queue, EventNotifier notifier,
    OutboxDispatcher outbox, RecordingSettings recording, TimeProvider time, ILogger<VoicemailRecorder> logger)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan FrameLength = TimeSpan.FromMilliseconds(20);
    private readonly ConcurrentDictionary<string, Message> _messages = new(StringComparer.Ordinal);
    private readonly VoicemailStore _store = new(database);
    private readonly string[] _webhooks = [.. recording.Webhooks.Select(w => w.Name)];
    private long _next;
    private long _kept;
    private long _discarded;

    /// <summary>Messages kept since start.</summary>
    public long Kept => Interlocked.Read(ref _kept);

    /// <summary>Recordings thrown away since start (recorded again, or nothing said).</summary>
    public long Discarded => Interlocked.Read(ref _discarded);

    /// <summary>Starts recording <paramref name="call"/>'s caller for <paramref name="request"/>'s mailbox.</summary>
    public Task<IvrRecording> RecordAsync(ApplicationCall call, IvrRecordRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        if (call.IsEnded || call.CallerLeg.Media is not { } media)
        {
            return Task.FromException<IvrRecording>(new InvalidOperationException("the call has ended"));
        }
        var id = "vm-" + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);
        var at = time.GetUtcNow();
        string path;
        RecordingSink sink;
        try
        {
            path = PathFor(request.Mailbox, call.Id, at);
            sink = RecordingSink.Create(path, settings.ParsedFormat, new RecordingSinkOptions
            {
                Channels = 1,
                OnAlert = alert => logger.LogWarning(alert.Error, "Voicemail {Path}: {Kind}, {Dropped} frame(s) dropped", alert.Path,
                    alert.Kind, alert.DroppedFrames),
            }, logger);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            logger.LogError(e, "Call {CallId}: voicemail for {Mailbox} could not be created", call.Id, request.Mailbox);
            return Task.FromException<IvrRecording>(e);
        }
        var message = new Message(id, call, request, path, sink, new VoicemailTap(sink, settings.SpeechLevel), media, at);
        _messages[id] = message;
        var (mailbox, callId, caller, format) = (request.Mailbox, call.Id, call.Caller, settings.ParsedFormat);
        queue.Enqueue(async () =>
        {
            try
            {
                message.Row.TrySetResult(await _store.StartAsync(mailbox, callId, caller, path, format, at).ConfigureAwait(false));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                message.Row.TrySetException(e);
                throw;
            }
        });
        media.AddTap(message.Tap);
        message.Timer = time.CreateTimer(_ => Check(message), null, Poll, Poll);
        _ = call.Ended.ContinueWith(_ => OnCallEnded(message), TaskScheduler.Default);
        logger.LogInformation("Call {CallId}: recording voicemail {Id} for mailbox {Mailbox} to {Path}", call.Id, id, mailbox, path);
        return message.Result.Task;
    }

    /// <summary>Ends the recording running on <paramref name="call"/> (finish key, maximum length).</summary>
    public void Stop(ApplicationCall call)
    {
        foreach (var message in _messages.Values.Where(m => m.Call == call))
        {
            Stop(message, IvrRecordingEnd.Stopped);
        }
    }

    /// <summary>Keeps <paramref name="recording"/>: status New, its event and alert. No-op when already decided.</summary>
    public void Save(IvrRecording recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        if (_messages.TryRemove(recording.Id, out var message))
        {
            Keep(message);
        }
    }

    /// <summary>Throws <paramref name="recording"/> away (row Discarded, file deleted). No-op when already decided.</summary>
    public void Discard(IvrRecording recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        if (_messages.TryRemove(recording.Id, out var message))
        {
            Drop(message);
        }
    }

    private void Check(Message message)
    {
        var silence = message.Request.Silence;
        if (silence is { } s && message.Tap.SilentRun * FrameLength >= s)
        {
            Stop(message, IvrRecordingEnd.Silence);
        }
        else if (time.GetUtcNow() - message.StartedAt >= message.Request.MaxLength + TimeSpan.FromSeconds(2))
        {
            Stop(message, IvrRecordingEnd.Stopped); // the IVR's own timer normally stops it first
        }
    }

    private void OnCallEnded(Message message)
    {
        if (!Stop(message, IvrRecordingEnd.Hangup) && message.Recording is not null && _messages.TryRemove(message.Id, out _))
        {
            Keep(message); // finished, neither kept nor discarded when the caller left (hung up in the review): kept
        }
    }

    /// <summary>Stops the message's recording once; true when this call stopped it.</summary>
    private bool Stop(Message message, IvrRecordingEnd end)
    {
        if (Interlocked.Exchange(ref message.Stopped, 1) != 0)
        {
            return false;
        }
        message.Timer?.Dispose();
        message.Media.RemoveTap(message.Tap);
        _ = FinishAsync(message, end);
        return true;
    }
}
