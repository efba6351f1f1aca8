namespace Telephony.Ivr.Model;

/// <summary>The node types of an IVR flow (the <c>type:</c> key in YAML).</summary>
public enum IvrNodeKind
{
    Play,
    Menu,
    Collect,
    Schedule,
    Condition,
    Set,
    Queue,
    Transfer,
    Goto,
    Hangup,
    Callback,
    Voicemail,
}
