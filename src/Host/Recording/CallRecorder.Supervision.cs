using System.Collections.Concurrent;
using System.Text.Json;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Media;
using Telephony.Recording.Storage;

namespace Telephony.Host.Recording;

/// <content>
/// Supervision of a call: the event log (<c>supervision.started</c>, <c>.mode</c>, <c>.ended</c>), the call record's
/// <c>supervisions</c> rows (who, which modes, when), and the recording's right channel, which holds the call's
/// <see cref="Call.RecordingMix"/> (agent + supervisor when audible) while a supervisor is joined.
/// </content>
public sealed partial class CallRecorder
{
    private readonly ConcurrentDictionary<string, RtpSession> _supervisedTaps = new(StringComparer.Ordinal);
    private readonly Telephony.Host.Security.IAuditTrail? _audit;

    /// <summary>A supervisor joined, switched mode on, or left <paramref name="call"/> (the supervised call).</summary>
    public void OnSupervision(Call call, SupervisionEvent e)
    {
        Append("supervision." + e.Kind, call.Id, new
        {
            callId = call.Id,
            supervisor = e.Supervisor,
            agent = e.Agent,
            mode = e.Mode.ToString(),
            supervisorCallId = e.SupervisorCallId,
        }, e.At);
        var mode = e.Mode.ToString();
        if (e.Kind is "started" or "mode")
        {
            // Whether started by feature code or by POST /api/supervise, this is where it took effect.
            _audit?.Record(new AuditEntry
            {
                OccurredAt = e.At,
                Actor = e.Supervisor,
                Role = "supervisor",
                Source = "call:" + e.SupervisorCallId,
                Action = e.Kind == "started" ? AuditActions.SupervisionStarted : AuditActions.SupervisionMode,
                Target = e.Agent,
                Outcome = AuditOutcomes.Ok,
                Detail = JsonSerializer.Serialize(new { callId = call.Id, mode }, JsonText),
            });
        }
        switch (e.Kind)
        {
            case "started":
                Store(() => _supervisions.StartAsync(RecordId(call.Id), e.SupervisorCallId, e.Supervisor, e.Agent, mode, e.At));
                RecordOurSide(call);
                break;
            case "mode":
                Store(() => _supervisions.SwitchModeAsync(RecordId(call.Id), e.SupervisorCallId, e.Supervisor, e.Agent, mode, e.At));
                break;
            case "ended":
                Store(() => _supervisions.EndAsync(e.SupervisorCallId, e.At));
                RestoreOurSide(call);
                break;
        }
    }

    /// <summary>Points the recording's right channel at the supervision mix (from the next tick on).</summary>
    private void RecordOurSide(Call call)
    {
        if (_calls.TryGetValue(call.Id, out var state) && state.Sink is { } sink && call.RecordingMix is { } mix &&
            call.GetSupervisionTarget()?.CallerMedia is { } media)
        {
            _supervisedTaps[call.Id] = media;
            media.SetTap(new MediaTapSink(sink, mix));
        }
    }

    /// <summary>Back to "what the caller hears" once the supervisor left (if the call and its recording go on).</summary>
    private void RestoreOurSide(Call call)
    {
        if (_supervisedTaps.TryRemove(call.Id, out var media) && !call.IsEnded &&
            _calls.TryGetValue(call.Id, out var state) && state.Sink is { } sink)
        {
            media.SetTap(new MediaTapSink(sink));
        }
    }
}
