namespace Telephony.Ivr.Model;

/// <summary>
/// The names of node outcomes. Each node maps some of these names to the next node in its <c>events:</c> block
/// (<c>next:</c>, <c>open:</c>, <c>closed:</c>, <c>overflow:</c> and menu <c>options:</c> are shorthands).
/// </summary>
public static class IvrEvents
{
    /// <summary>The node finished normally (play, collect, set, goto).</summary>
    public const string Done = "done";
    /// <summary>Menu: no digit after all retries.</summary>
    public const string Timeout = "timeout";
    /// <summary>Menu or collect: wrong input after all retries.</summary>
    public const string Invalid = "invalid";
    /// <summary>Menu: the "reach a person" digit was pressed.</summary>
    public const string Operator = "operator";
    /// <summary>Anything went wrong (channel failure, max_visits exceeded). Falls back to the tree's on_error.</summary>
    public const string Error = "error";
    /// <summary>Schedule: within business hours.</summary>
    public const string Open = "open";
    /// <summary>Schedule: outside business hours.</summary>
    public const string Closed = "closed";
    /// <summary>Schedule: today is a holiday (falls back to closed).</summary>
    public const string Holiday = "holiday";
    /// <summary>Queue: the caller waited max_wait without being answered.</summary>
    public const string Overflow = "overflow";
    /// <summary>Transfer: the target did not answer or rejected the call.</summary>
    public const string Failed = "failed";
    /// <summary>Condition: no branch matched.</summary>
    public const string Else = "else";
    /// <summary>Queue: the waiting caller booked a callback (the queue's offer) and may leave.</summary>
    public const string Callback = "callback";
    /// <summary>Voicemail: the caller said nothing (falls back to done).</summary>
    public const string Empty = "empty";

    /// <summary>Menu: the event name for a digit option ("digit:1").</summary>
    public static string Digit(char digit) => "digit:" + digit;

    /// <summary>Condition: the event name for the n-th branch, 1-based ("match:1").</summary>
    public static string Match(int branch) => "match:" + branch.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
