namespace Telephony.Host.Dispositions;

/// <summary>
/// Reads disposition codes from an agent's keypad during a call: <c>*</c>, <c>5</c>, then the code's position 1-9, each
/// key within <see cref="KeyTimeout"/> of the previous one (RFC 4733 digits or in-band DTMF, as the phone sends them).
/// Any other key starts over. One per call leg; not thread-safe (the call's executor feeds it).
/// </summary>
public sealed class DispositionKeypad
{
    /// <summary>Longest pause between the keys of one code.</summary>
    public static readonly TimeSpan KeyTimeout = TimeSpan.FromSeconds(3);

    private int _state; // 0: nothing, 1: '*', 2: "*5"
    private DateTimeOffset _last;

    /// <summary>Feeds one key pressed at <paramref name="at"/>; true with the 1-based <paramref name="position"/> when
    /// it completes <c>*5N</c>.</summary>
    public bool Feed(char key, DateTimeOffset at, out int position)
    {
        position = 0;
        if (_state > 0 && at - _last > KeyTimeout)
        {
            _state = 0;
        }
        _last = at;
        switch (_state)
        {
            case 1 when key == '5':
                _state = 2;
                return false;
            case 2 when key is >= '1' and <= '9':
                _state = 0;
                position = key - '0';
                return true;
        }
        _state = key == '*' ? 1 : 0;
        return false;
    }

    /// <summary>True for a dialed feature code <c>*5N</c> (N = 1-9): a disposition for the agent's last queue call,
    /// from a phone in wrap-up. Its position in <paramref name="position"/>.</summary>
    public static bool IsFeatureCode(string dialed, out int position)
    {
        position = 0;
        if (dialed is ['*', '5', >= '1' and <= '9'])
        {
            position = dialed[2] - '0';
            return true;
        }
        return false;
    }
}
