namespace Telephony.Pbx.Sip.Parsing;

/// <summary>Byte classes of the RFC 3261 §25.1 grammar used before any string is made.</summary>
internal static class SipGrammarBytes
{
    private static readonly bool[] Token = BuildToken();

    /// <summary>token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~").</summary>
    internal static bool IsTokenChar(byte b) => b < 128 && Token[b];

    private static bool[] BuildToken()
    {
        var t = new bool[128];
        foreach (var c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.!%*_+`'~")
        {
            t[c] = true;
        }

        return t;
    }
}
