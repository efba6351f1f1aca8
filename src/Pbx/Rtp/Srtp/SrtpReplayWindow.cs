namespace Telephony.Pbx.Rtp.Srtp;

/// <summary>
/// The replay list of RFC 3711 §3.3.2 as a sliding bitmap: bit <c>n</c> set means index <c>highest - n</c> was
/// received and authenticated. 128 packets wide (2.56 s of 20 ms audio; RFC 3711 asks for at least 64).
/// </summary>
internal struct SrtpReplayWindow
{
    public const int Size = 128;

    private UInt128 _bits;

    /// <summary>True when the index <paramref name="behind"/> steps before the highest (0..127) was already received.</summary>
    public readonly bool Contains(long behind) => ((_bits >> (int)behind) & UInt128.One) != UInt128.Zero;

    /// <summary>A new highest index <paramref name="ahead"/> (&gt; 0) steps past the old one was received.</summary>
    public void Advance(long ahead)
    {
        _bits = ahead >= Size ? UInt128.Zero : _bits << (int)ahead;
        _bits |= UInt128.One;
    }

    /// <summary>An index <paramref name="behind"/> steps before the highest (0..127) was received.</summary>
    public void Mark(long behind) => _bits |= UInt128.One << (int)behind;

    /// <summary>Starts the window at a first index.</summary>
    public void Reset() => _bits = UInt128.One;
}
