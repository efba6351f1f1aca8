using System.Globalization;
using System.Security.Cryptography;
using Telephony.Ivr.Engine;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Media;
using Telephony.Recording.Storage;
using Telephony.Recording.Writing;

namespace Telephony.Host.Voicemail;

// Closing a message's file (trimming the trailing silence), and keeping or dropping it.
public sealed partial class VoicemailRecorder
{
    private async Task FinishAsync(Message message, IvrRecordingEnd end)
    {
        RecordingResult result = await message.Sink.CompleteAsync().ConfigureAwait(false);
        var duration = result.Duration;
        var speech = message.Tap.SpeechFrames * FrameLength;
        if (end == IvrRecordingEnd.Silence && !result.Failed)
        {
            duration = TrimTrailingSilence(message, result, message.Tap.SilentRun * FrameLength);
        }
        message.Size = result.Failed ? Math.Max(0, result.SizeBytes) : new FileInfo(message.Path).Length;
        message.Duration = duration;
        var empty = speech < TimeSpan.FromMilliseconds(settings.MinSpeechMs) || (result.Failed && result.FramesWritten == 0);
        var done = new IvrRecording(message.Id, duration, empty, end);
        message.Recording = done;
        logger.LogInformation("Call {CallId}: voicemail {Id} for {Mailbox} ended ({End}): {Seconds:F1} s, {Speech:F1} s of speech{Empty}",
            message.Call.Id, message.Id, message.Request.Mailbox, end, duration.TotalSeconds, speech.TotalSeconds, empty ? ", nothing said" : "");
        if (empty)
        {
            Discard(done);
        }
        else if (message.Call.IsEnded)
        {
            Save(done); // the caller hung up while speaking: what was said is a message
        }
        message.Result.TrySetResult(done);
    }

    /// <summary>A message ended by silence: cut the silence after the last speech, keeping a short tail.</summary>
    private TimeSpan TrimTrailingSilence(Message message, RecordingResult result, TimeSpan trailing)
    {
        var keep = result.Duration - trailing + TimeSpan.FromMilliseconds(settings.SilenceTailMs);
        if (keep >= result.Duration || keep <= TimeSpan.Zero)
        {
            return result.Duration;
        }
        try
        {
            var align = WavHeader.BlockAlignOf(result.Format, 1);
            var frames = (long)(keep.TotalSeconds * WavHeader.SampleRateHz);
            using (var stream = new FileStream(message.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read))
            {
                stream.SetLength(WavHeader.SizeOf(result.Format) + (frames * align));
            }
            return WavRepair.Repair(message.Path, result.Format, expectedChannels: 1).Duration; // sizes patched to the new length
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning(e, "Voicemail {Path}: trailing silence not trimmed", message.Path);
            return result.Duration;
        }
    }

    private void Keep(Message message)
    {
        Interlocked.Increment(ref _kept);
        var at = time.GetUtcNow();
        queue.Enqueue(async () =>
        {
            long row = await message.Row.Task.ConfigureAwait(false);
            string? sha256 = await HashAsync(message.Path).ConfigureAwait(false);
            await _store.FinishAsync(row, VoicemailStatus.New, message.Duration, message.Size, sha256).ConfigureAwait(false);
            var stored = await _store.GetAsync(row).ConfigureAwait(false);
            if (stored is not null)
            {
                await VoicemailEvents.PublishAsync(database, stored, _webhooks, at).ConfigureAwait(false);
                notifier.Notify();
                outbox.Wake();
            }
        });
        logger.LogInformation("Call {CallId}: voicemail {Id} kept in mailbox {Mailbox} from {Caller} ({Seconds:F1} s)", message.Call.Id,
            message.Id, message.Request.Mailbox, message.Call.Caller, message.Duration.TotalSeconds);
    }

    private void Drop(Message message)
    {
        Interlocked.Increment(ref _discarded);
        queue.Enqueue(async () =>
        {
            long row = await message.Row.Task.ConfigureAwait(false);
            await _store.FinishAsync(row, VoicemailStatus.Discarded, message.Duration, 0, null).ConfigureAwait(false);
            try
            {
                File.Delete(message.Path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning(e, "Voicemail {Path}: discarded but not deleted", message.Path);
            }
        });
    }

    private static async Task<string?> HashAsync(string path)
    {
        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream).ConfigureAwait(false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private string PathFor(string mailbox, string callId, DateTimeOffset at)
    {
        static string Safe(string text)
        {
            var name = new string([.. text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]).Trim('.');
            return name.Length == 0 ? "_" : name;
        }
        var folder = Path.Combine(settings.Directory, Safe(mailbox),
            at.UtcDateTime.ToString("yyyy", CultureInfo.InvariantCulture),
            at.UtcDateTime.ToString("MM", CultureInfo.InvariantCulture),
            at.UtcDateTime.ToString("dd", CultureInfo.InvariantCulture));
        var name = Safe(callId);
        var path = Path.Combine(folder, name + ".wav");
        for (var n = 2; File.Exists(path); n++)
        {
            path = Path.Combine(folder, $"{name}-{n}.wav");
        }
        return path;
    }

    /// <summary>One recording: its file, tap and row, and what became of it.</summary>
    private sealed class Message(string id, ApplicationCall call, IvrRecordRequest request, string path, RecordingSink sink, VoicemailTap tap,
        RtpSession media, DateTimeOffset startedAt)
    {
        public int Stopped;
        public string Id { get; } = id;
        public ApplicationCall Call { get; } = call;
        public IvrRecordRequest Request { get; } = request;
        public string Path { get; } = path;
        public RecordingSink Sink { get; } = sink;
        public VoicemailTap Tap { get; } = tap;
        public RtpSession Media { get; } = media;
        public DateTimeOffset StartedAt { get; } = startedAt;
        public ITimer? Timer { get; set; }
        public TaskCompletionSource<long> Row { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource<IvrRecording> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TimeSpan Duration { get; set; }
        public long Size { get; set; }
        public IvrRecording? Recording { get => Volatile.Read(ref _recording); set => Volatile.Write(ref _recording, value); }
        private IvrRecording? _recording;
    }
}
