using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Playback;

namespace Telephony.Pbx.Calls;

/// <summary>
/// Asks a caller for the number to call back (RFC 4733 or in-band keys): "We will call you back at &lt;digits&gt;. To
/// confirm, press 1. To use another number, enter it now, followed by the hash key." Without a usable caller number it
/// only asks for one. <c>1</c> (alone, or <c>1#</c>) confirms; digits ended by <c>#</c> (or a pause) give another number;
/// a number shorter than <see cref="MinDigits"/> or longer than <see cref="MaxDigits"/> is refused and asked again. The
/// prompts play over the caller's background (hold music); a key stops them (barge-in). Two tries, then no number.
/// <see cref="Abort"/> (an agent took the call) ends it at once with no number. Keys come in through
/// <see cref="OnDigit"/>.
/// </summary>
internal sealed class CallbackRequestDialog(ApplicationCall call, Func<string, AudioClip?> prompt, TimeProvider time, ILogger logger)
{
    public const int MinDigits = 4;
    public const int MaxDigits = 20;
    private const int Tries = 2;
    private static readonly TimeSpan FirstKeyTimeout = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan DigitTimeout = TimeSpan.FromSeconds(4);

    private readonly Channel<char> _keys = Channel.CreateUnbounded<char>();
    private readonly CancellationTokenSource _abort = new();

    /// <summary>A key from the caller (any thread).</summary>
    public void OnDigit(char digit) => _keys.Writer.TryWrite(digit);

    /// <summary>Ends the dialog with no number (any thread).</summary>
    public void Abort() => _abort.Cancel();

    /// <summary>True for a number a callback can dial: an optional leading '+', then <see cref="MinDigits"/> to
    /// <see cref="MaxDigits"/> digits.</summary>
    public static bool IsDialable(string? number)
    {
        if (string.IsNullOrEmpty(number))
        {
            return false;
        }
        var digits = number.StartsWith('+') ? number.AsSpan(1) : number.AsSpan();
        if (digits.Length is < MinDigits or > MaxDigits)
        {
            return false;
        }
        foreach (var c in digits)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>The number to call back (<paramref name="defaultNumber"/> confirmed, or the one keyed in), or null.</summary>
    public async Task<string?> RunAsync(string? defaultNumber)
    {
        var token = _abort.Token;
        var known = IsDialable(defaultNumber) ? defaultNumber : null;
        try
        {
            for (var attempt = 1; attempt <= Tries && !token.IsCancellationRequested; attempt++)
            {
                var ids = known is null
                    ? new List<string> { "en/queue/callback-enter-number" }
                    : ["en/queue/callback-number-is", .. known.Where(char.IsAsciiDigit).Select(d => "en/queue/digit-" + d), "en/queue/callback-confirm"];
                var play = call.PlayAsync([.. ids.Select(prompt).OfType<AudioClip>()]);
                var first = await FirstKeyAsync(play, token).ConfigureAwait(false);
                if (first is null)
                {
                    continue;
                }
                var keyed = await KeyedAsync(first.Value, known is not null, token).ConfigureAwait(false);
                if (keyed.Length == 0 && known is not null)
                {
                    logger.LogInformation("Call {CallId}: callback number {Number} confirmed", call.Id, known);
                    return known;
                }
                if (IsDialable(keyed))
                {
                    logger.LogInformation("Call {CallId}: callback number {Number} keyed in", call.Id, keyed);
                    return keyed;
                }
                logger.LogInformation("Call {CallId}: callback number '{Keyed}' refused", call.Id, keyed);
                await call.PlayAsync([.. new[] { "en/queue/callback-invalid" }.Select(prompt).OfType<AudioClip>()]).WaitAsync(token)
                    .ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        return null;
    }

    /// <summary>The first key: during the prompt (barge-in) or within <see cref="FirstKeyTimeout"/> after it.</summary>
    private async Task<char?> FirstKeyAsync(Task play, CancellationToken token)
    {
        var key = NextKey(token);
        if (await Task.WhenAny(play, key).ConfigureAwait(false) == key)
        {
            call.StopPlayback();
            return Take();
        }
        return await KeyWithinAsync(FirstKeyTimeout, token).ConfigureAwait(false);
    }

    /// <summary>Keys after <paramref name="first"/> until '#' or a pause: "" when <paramref name="confirmable"/> and the
    /// caller pressed 1 alone (or 1#); otherwise the digits keyed ('*' or any other key makes the number invalid).</summary>
    private async Task<string> KeyedAsync(char first, bool confirmable, CancellationToken token)
    {
        var keyed = new System.Text.StringBuilder();
        var key = (char?)first;
        while (key is { } k && k != '#' && keyed.Length <= MaxDigits)
        {
            keyed.Append(k);
            key = await KeyWithinAsync(DigitTimeout, token).ConfigureAwait(false);
        }
        var text = keyed.ToString();
        return confirmable && text == "1" ? "" : text;
    }

    /// <summary>The next key if one comes within <paramref name="timeout"/>, else null (the read stays pending, so a key
    /// pressed later is not lost).</summary>
    private async Task<char?> KeyWithinAsync(TimeSpan timeout, CancellationToken token)
    {
        var key = NextKey(token);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(token);
        var delay = Task.Delay(timeout, time, timer.Token);
        var first = await Task.WhenAny(key, delay).ConfigureAwait(false);
        await timer.CancelAsync().ConfigureAwait(false);
        token.ThrowIfCancellationRequested();
        return first == key ? Take() : null;
    }

    private Task<char>? _pending;

    private Task<char> NextKey(CancellationToken token) => _pending ??= _keys.Reader.ReadAsync(token).AsTask();

    private char Take()
    {
        var key = _pending!.GetAwaiter().GetResult();
        _pending = null;
        return key;
    }
}
