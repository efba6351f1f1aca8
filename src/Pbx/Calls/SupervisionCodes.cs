using Telephony.Pbx.Media.Mixer;

namespace Telephony.Pbx.Calls;

/// <summary>
/// Supervisor feature codes dialed from a supervisor's phone, followed by the agent's extension: <c>*81</c> listen,
/// <c>*82</c> whisper, <c>*83</c> barge (e.g. <c>*811001</c>); in the session, digits 1 listen, 2 whisper, 3 barge,
/// 4 take over.
/// </summary>
public static class SupervisionCodes
{
    public const string ListenCode = "*81";
    public const string WhisperCode = "*82";
    public const string BargeCode = "*83";

    /// <summary>The role an extension needs to supervise (<c>role: supervisor</c> in extensions.yaml).</summary>
    public const string SupervisorRole = "supervisor";

    /// <summary>True when <paramref name="dialed"/> is a supervisor code followed by at least one digit.</summary>
    public static bool TryParse(string? dialed, out SupervisorMode mode, out string agent)
    {
        mode = SupervisorMode.Listen;
        agent = "";
        if (dialed is null || dialed.Length <= 3)
        {
            return false;
        }
        switch (dialed[..3])
        {
            case ListenCode:
                mode = SupervisorMode.Listen;
                break;
            case WhisperCode:
                mode = SupervisorMode.Whisper;
                break;
            case BargeCode:
                mode = SupervisorMode.Barge;
                break;
            default:
                return false;
        }
        var rest = dialed.AsSpan(3);
        foreach (var c in rest)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        agent = rest.ToString();
        return true;
    }

    /// <summary>The feature code that starts <paramref name="mode"/> (take over has none: it starts as barge).</summary>
    public static string CodeOf(SupervisorMode mode) => mode switch
    {
        SupervisorMode.Listen => ListenCode,
        SupervisorMode.Whisper => WhisperCode,
        _ => BargeCode,
    };

    /// <summary>The mode of an in-session digit (1 listen, 2 whisper, 3 barge, 4 take over), or null.</summary>
    public static SupervisorMode? ModeOfDigit(char digit) => digit switch
    {
        '1' => SupervisorMode.Listen,
        '2' => SupervisorMode.Whisper,
        '3' => SupervisorMode.Barge,
        '4' => SupervisorMode.TakeOver,
        _ => null,
    };
}
