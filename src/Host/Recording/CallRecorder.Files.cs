using System.Text.Json;
using Telephony.Recording.Storage;
using Telephony.Recording.Writing;

namespace Telephony.Host.Recording;

/// <content>Recording files: open on answer, close on hangup, alerts on write trouble.</content>
public sealed partial class CallRecorder
{
    private void StartRecording(CallState state, DateTimeOffset at)
    {
        var format = _settings.ParsedFormat;
        string path;
        RecordingSink sink;
        try
        {
            path = PathFor(state.Id, at);
            sink = RecordingSink.Create(path, format, new RecordingSinkOptions
            {
                OnAlert = alert => OnSinkAlert(state, alert),
            }, _logger);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            Interlocked.Increment(ref _failed);
            _logger.LogError(e, "Call {CallId}: recording could not be created; the call continues unrecorded", state.Id);
            var json = JsonSerializer.Serialize(new { kind = AlertKinds.RecordingFailed, callId = state.Id, error = e.Message }, JsonText);
            Append(EventTypes.RecordingFailed, state.Id, new { callId = state.Id, error = e.Message }, DateTimeOffset.UtcNow);
            RaiseAlert(AlertKinds.RecordingFailed, state.Id, state.Caller, json, DateTimeOffset.UtcNow);
            return;
        }
        state.Sink = sink;
        state.Path = path;
        state.RecordingStartedAt = at;
        StoreBatched(async () => state.RecordingId = await _recordings.StartAsync(RecordId(state.Id), path, format, at).ConfigureAwait(false));
        Append(EventTypes.RecordingStarted, state.Id, new { callId = state.Id, path, format = format.ToString() }, at);
        _logger.LogInformation("Call {CallId}: recording to {Path} ({Format})", state.Id, path, format);
    }

    private void FinishRecording(CallState state)
    {
        var sink = state.Sink!;
        var finishing = FinishAsync();
        _finishing.TryAdd(finishing, 0);
        _ = finishing.ContinueWith(t => _finishing.TryRemove(t, out _), TaskScheduler.Default);

        async Task FinishAsync()
        {
            var result = await sink.CompleteAsync().ConfigureAwait(false);
            Interlocked.Add(ref _droppedClosed, result.DroppedFrames);
            if (result.Failed)
            {
                Interlocked.Increment(ref _failed);
            }
            else
            {
                Interlocked.Increment(ref _completed);
            }
            var status = result.Failed && result.FramesWritten == 0 ? RecordingStatus.Interrupted : RecordingStatus.Completed;
            _logger.LogInformation(
                "Call {CallId}: recording {Path} closed: {Duration:F1} s, {Size} bytes, {Dropped} frame(s) dropped, sha256 {Sha256}",
                state.Id, result.Path, result.Duration.TotalSeconds, result.SizeBytes, result.DroppedFrames, result.Sha256);
            var at = DateTimeOffset.UtcNow;
            StoreBatched(async () =>
            {
                await _recordings.FinishAsync(state.RecordingId, status, result.Duration, Math.Max(0, result.SizeBytes), result.Sha256)
                    .ConfigureAwait(false);
                await _events.AppendAsync(EventTypes.RecordingCompleted, state.Id, JsonSerializer.Serialize(new
                {
                    recordingId = state.RecordingId,
                    callId = state.Id,
                    path = result.Path,
                    format = result.Format.ToString(),
                    durationMs = (long)result.Duration.TotalMilliseconds,
                    sizeBytes = result.SizeBytes,
                    sha256 = result.Sha256,
                    droppedFrames = result.DroppedFrames,
                    failed = result.Failed,
                }, JsonText), at).ConfigureAwait(false);
                _notifier.Notify();
            });
        }
    }

    /// <summary>Writer thread: the disk is slow (queue full) or failing. The call goes on; we tell people.</summary>
    private void OnSinkAlert(CallState state, RecordingSinkAlert alert)
    {
        _logger.LogWarning(alert.Error, "Call {CallId}: recording {Path}: {Kind}, {Dropped} frame(s) dropped so far",
            state.Id, alert.Path, alert.Kind, alert.DroppedFrames);
        var at = DateTimeOffset.UtcNow;
        var detail = new
        {
            kind = AlertKinds.RecordingFailed,
            callId = state.Id,
            path = alert.Path,
            problem = alert.Kind.ToString(),
            droppedFrames = alert.DroppedFrames,
            error = alert.Error?.Message,
        };
        Append(EventTypes.RecordingFailed, state.Id, detail, at);
        RaiseAlert(AlertKinds.RecordingFailed, state.Id, state.Caller, JsonSerializer.Serialize(detail, JsonText), at);
    }
}
