namespace Telephony.Pbx.Rtp.Srtp;

/// <summary>
/// The answerer's side of SDES (RFC 4568 §5.1.2): the offered line we accepted (the peer's key, for our inbound
/// context) and our answer line with the same tag and suite (our fresh key, for our outbound context).
/// </summary>
public sealed class SdesAnswer
{
    internal SdesAnswer(SdesCryptoAttribute? remote, SdesCryptoAttribute? local, IReadOnlyList<SdesRejection> rejected,
        SdesError error)
    {
        Remote = remote;
        Local = local;
        Rejected = rejected;
        Error = error;
    }

    /// <summary>True when a line was accepted; otherwise refuse the secure media stream.</summary>
    public bool Success => Remote is not null;

    /// <summary>The accepted offered line: the offerer's key, which keys our inbound context.</summary>
    public SdesCryptoAttribute? Remote { get; }

    /// <summary>Our answer line (write <see cref="SdesCryptoAttribute.Format"/> as <c>a=crypto:</c>): keys our outbound context.</summary>
    public SdesCryptoAttribute? Local { get; }

    /// <summary>Every offered line passed over before (or instead of) the accepted one, with its reason.</summary>
    public IReadOnlyList<SdesRejection> Rejected { get; }

    /// <summary>
    /// <see cref="SdesError.None"/> on success; otherwise the reason of the first refused line whose suite we support
    /// (the most useful to log), else <see cref="SdesError.UnsupportedSuite"/> or <see cref="SdesError.NoCryptoOffered"/>.
    /// </summary>
    public SdesError Error { get; }
}
