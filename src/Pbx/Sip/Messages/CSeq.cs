using System.Globalization;

namespace Telephony.Pbx.Sip.Messages;

/// <summary>The CSeq header value: sequence number and method (RFC 3261 §20.16).</summary>
public readonly record struct CSeq(uint Number, string Method)
{
    /// <summary>Largest sequence number allowed: less than 2**31 (RFC 3261 §8.1.1.5).</summary>
    public const uint MaxNumber = 0x7FFF_FFFF;

    /// <summary>Parses "1 INVITE" (LWS allowed around and between the parts). Never throws.</summary>
    public static bool TryParse(string? value, out CSeq cseq)
    {
        cseq = default;
        if (value is null)
        {
            return false;
        }

        var span = SipGrammar.TrimLws(value.AsSpan());
        var i = 0;
        while (i < span.Length && char.IsAsciiDigit(span[i]))
        {
            i++;
        }

        if (i == 0 || i > 10 || !uint.TryParse(span[..i], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            || n > MaxNumber)
        {
            return false;
        }

        var rest = span[i..];
        var trimmed = SipGrammar.TrimLws(rest);
        if (trimmed.Length == 0 || trimmed.Length == rest.Length || !SipGrammar.IsToken(trimmed))
        {
            return false;
        }

        cseq = new CSeq(n, KnownMethod(trimmed) ?? trimmed.ToString());
        return true;
    }

    // The methods we see on every call: the constant instead of a new string per CSeq read (case-sensitive, §7.1).
    private static string? KnownMethod(ReadOnlySpan<char> method) => method switch
    {
        SipMethod.Invite => SipMethod.Invite,
        SipMethod.Ack => SipMethod.Ack,
        SipMethod.Bye => SipMethod.Bye,
        SipMethod.Cancel => SipMethod.Cancel,
        SipMethod.Options => SipMethod.Options,
        SipMethod.Register => SipMethod.Register,
        SipMethod.Info => SipMethod.Info,
        SipMethod.Update => SipMethod.Update,
        SipMethod.Refer => SipMethod.Refer,
        SipMethod.Notify => SipMethod.Notify,
        _ => null,
    };

    /// <summary>"1 INVITE".</summary>
    public override string ToString() => Number.ToString(CultureInfo.InvariantCulture) + " " + Method;
}
