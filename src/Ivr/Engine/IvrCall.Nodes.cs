using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Telephony.Ivr.Model;
using Telephony.Ivr.Scheduling;

namespace Telephony.Ivr.Engine;

public sealed partial class IvrCall
{
    private readonly StringBuilder _collected = new();
    private readonly Queue<char> _typeAhead = new();
    private int _attempts;

    /// <summary>Entry action of every node state.</summary>
    private void Enter(IvrNode node)
    {
        CancelTimer();
        StopPlaybackIfPlaying();
        _waitGeneration++;
        _path.Add(node.Id);
        var visits = _visits[node.Id] = _visits.GetValueOrDefault(node.Id) + 1;
        NodeEntered?.Invoke(node.Id);
        if (_hangupPending)
        {
            return;
        }
        if (visits > LimitOf(node))
        {
            Trace($"{node.Id}: max_visits {LimitOf(node)} exceeded");
            _logger.LogWarning("IVR {CallId}: node {Node} visited {Visits} times, over max_visits", CallId, node.Id, visits);
            var error = Flow.TargetOf(node, IvrEvents.Error);
            if (error is null || error.NodeId == node.Id
                || _visits.GetValueOrDefault(error.NodeId) >= LimitOf(Flow.Nodes[error.NodeId]))
            {
                FailCall();
            }
            else
            {
                _machine.Fire(_triggers.Outcome, IvrEvents.Error);
            }
            return;
        }
        switch (node)
        {
            case PlayNode play:
                StartPlayback(play.Prompts, play.BargeIn);
                break;
            case MenuNode menu:
                _attempts = 0;
                BeginAttempt(menu, menu.Prompts);
                break;
            case CollectNode collect:
                _attempts = 0;
                BeginAttempt(collect, collect.Prompts);
                break;
            case ScheduleNode schedule:
                EnterSchedule(schedule);
                break;
            case ConditionNode condition:
                EnterCondition(condition);
                break;
            case SetNode set:
                EnterSet(set);
                break;
            case QueueNode queue:
                EnterQueue(queue);
                break;
            case TransferNode transfer:
                EnterTransfer(transfer);
                break;
            case GotoNode:
                Go(node, IvrEvents.Done);
                break;
            case CallbackNode callback:
                EnterCallback(callback);
                break;
            case VoicemailNode voicemail:
                EnterVoicemail(voicemail);
                break;
            case HangupNode hangup:
                _typeAhead.Clear();
                _channel.Hangup(Flow.Language, hangup.Prompt?.Id);
                _machine.Fire(_triggers.Finish, IvrEndReason.Hangup);
                break;
        }
    }

    private int LimitOf(IvrNode node) => node.MaxVisits ?? Flow.MaxVisits;

    /// <summary>
    /// Raises <paramref name="eventName"/>; a missing path falls back (holiday to closed, anything to error, error to hangup).
    /// </summary>
    private void Go(IvrNode node, string eventName)
    {
        var target = Flow.TargetOf(node, eventName);
        if (target is null && eventName == IvrEvents.Operator)
        {
            target = Flow.Operator;
        }
        if (target is not null)
        {
            _machine.Fire(_triggers.Outcome, eventName);
            return;
        }
        if (eventName == IvrEvents.Holiday)
        {
            Go(node, IvrEvents.Closed);
        }
        else if (eventName != IvrEvents.Error)
        {
            Trace($"{node.Id}: no '{eventName}' path, taking the error path");
            Go(node, IvrEvents.Error);
        }
        else
        {
            FailCall();
        }
    }

    /// <summary>No error path is left: hang up and end with <see cref="IvrEndReason.Error"/>.</summary>
    private void FailCall()
    {
        Trace("no error path left: hanging up");
        _channel.Hangup(Flow.Language, null);
        _machine.Fire(_triggers.Finish, IvrEndReason.Error);
    }

    /// <summary>Starts (or restarts after invalid input / silence) an input node: prompt with barge-in, then the timer.</summary>
    private void BeginAttempt(IvrNode node, IReadOnlyList<PromptRef> prompts)
    {
        _collected.Clear();
        InputStarted?.Invoke();
        if (_typeAhead.TryDequeue(out var early))
        {
            HandleDigit(node, early);
            return;
        }
        if (prompts.Count == 0)
        {
            StartTimer(TimeoutOf(node));
            return;
        }
        StartPlayback(prompts, bargeIn: true);
    }

    private static TimeSpan TimeoutOf(IvrNode node) => node switch
    {
        MenuNode menu => menu.Timeout,
        CollectNode collect => collect.Timeout,
        _ => TimeSpan.Zero,
    };

    private void HandlePromptFinished(IvrNode node)
    {
        switch (node)
        {
            case PlayNode:
                Go(node, IvrEvents.Done);
                break;
            case MenuNode or CollectNode:
                StartTimer(TimeoutOf(node));
                break;
            case VoicemailNode voicemail:
                VoicemailPromptFinished(voicemail);
                break;
        }
    }

    private void HandleDigit(IvrNode node, char digit)
    {
        switch (node)
        {
            case PlayNode:
                StopPlaybackIfPlaying();
                Trace($"digit {digit} (barge-in, kept for the next menu)");
                _typeAhead.Enqueue(digit);
                Go(node, IvrEvents.Done);
                break;
            case MenuNode menu:
                StopPlaybackIfPlaying();
                CancelTimer();
                Trace($"digit {digit}");
                if (menu.Options.Contains(digit))
                {
                    Go(node, IvrEvents.Digit(digit));
                }
                else if (digit == (menu.OperatorDigit ?? Flow.OperatorDigit))
                {
                    Go(node, IvrEvents.Operator);
                }
                else
                {
                    Retry(menu, IvrEvents.Invalid, menu.Retries, [.. menu.InvalidPrompts, .. menu.Prompts]);
                }
                break;
            case VoicemailNode voicemail:
                VoicemailDigit(voicemail, digit);
                break;
            case CollectNode collect:
                StopPlaybackIfPlaying();
                CancelTimer();
                if (digit == collect.Terminator)
                {
                    CompleteCollect(collect);
                    break;
                }
                _collected.Append(digit);
                if (_collected.Length >= collect.MaxLength)
                {
                    CompleteCollect(collect);
                }
                else
                {
                    StartTimer(collect.DigitTimeout);
                }
                break;
        }
    }

    private void HandleTimeout(IvrNode node)
    {
        switch (node)
        {
            case MenuNode menu:
                Trace("timeout");
                Retry(menu, IvrEvents.Timeout, menu.Retries, [.. menu.NoInputPrompts, .. menu.Prompts]);
                break;
            case CollectNode collect when _collected.Length == 0:
                Trace("timeout");
                Retry(collect, IvrEvents.Timeout, collect.Retries, [.. collect.NoInputPrompts, .. collect.Prompts]);
                break;
            case CollectNode collect:
                CompleteCollect(collect);
                break;
            case VoicemailNode voicemail:
                VoicemailTimeout(voicemail);
                break;
        }
    }

    /// <summary>
    /// One more failed attempt: replay (with the invalid or no-input prompt first) or give up with <paramref name="outcome"/>.
    /// </summary>
    private void Retry(IvrNode node, string outcome, int retries, IReadOnlyList<PromptRef> prompts)
    {
        _attempts++;
        if (_attempts > retries)
        {
            Go(node, outcome);
        }
        else
        {
            BeginAttempt(node, prompts);
        }
    }

    private void CompleteCollect(CollectNode collect)
    {
        var value = _collected.ToString();
        bool valid;
        try
        {
            valid = value.Length >= collect.MinLength && (collect.Pattern?.IsMatch(value) ?? true);
        }
        catch (RegexMatchTimeoutException)
        {
            Go(collect, IvrEvents.Error);
            return;
        }
        Trace($"collected {collect.Variable}={value}{(valid ? "" : " (invalid)")}");
        if (!valid)
        {
            Retry(collect, IvrEvents.Invalid, collect.Retries, [.. collect.InvalidPrompts, .. collect.Prompts]);
            return;
        }
        _variables[collect.Variable] = value;
        Go(collect, IvrEvents.Done);
    }

    private void EnterSchedule(ScheduleNode schedule)
    {
        var now = _time.GetUtcNow();
        var state = schedule.Hours.Evaluate(now);
        var local = TimeZoneInfo.ConvertTime(now, schedule.Hours.TimeZone);
        Trace($"schedule {local.ToString("ddd yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture)} {schedule.Hours.TimeZone.Id}: "
            + state.ToString().ToLowerInvariant());
        Go(schedule, state switch
        {
            ScheduleState.Open => IvrEvents.Open,
            ScheduleState.Holiday => IvrEvents.Holiday,
            _ => IvrEvents.Closed,
        });
    }

    private void EnterCondition(ConditionNode condition)
    {
        try
        {
            for (var i = 0; i < condition.Branches.Count; i++)
            {
                if (condition.Branches[i].Evaluate(ConditionContext))
                {
                    Trace($"condition {condition.Branches[i]}: true");
                    Go(condition, IvrEvents.Match(i + 1));
                    return;
                }
            }
        }
        catch (RegexMatchTimeoutException)
        {
            Go(condition, IvrEvents.Error);
            return;
        }
        Trace("condition: else");
        Go(condition, IvrEvents.Else);
    }

    private void EnterSet(SetNode set)
    {
        foreach (var (name, value) in set.Variables)
        {
            _variables[name] = value;
        }
        if (set.Priority is { } priority)
        {
            _priority = priority;
        }
        AddTags(set.Tags);
        Trace($"set priority {_priority}, tags [{string.Join(", ", _tags)}]"
            + string.Concat(set.Variables.Select(v => $", {v.Key}={v.Value}")));
        Go(set, IvrEvents.Done);
    }
}
