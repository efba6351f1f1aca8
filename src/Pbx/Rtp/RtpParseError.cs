namespace Telephony.Pbx.Rtp;

/// <summary>Why an RTP packet was rejected (RFC 3550 §5.1, §A.1 validity checks). Used as a drop-counter index.</summary>
public enum RtpParseError
{
    None = 0,
    /// <summary>Shorter than the 12-byte fixed header.</summary>
    TooShort,
    /// <summary>Version field is not 2.</summary>
    BadVersion,
    /// <summary>CSRC list runs past the end of the packet.</summary>
    CsrcTruncated,
    /// <summary>Header extension runs past the end of the packet.</summary>
    ExtensionTruncated,
    /// <summary>Padding count is zero or larger than the payload.</summary>
    BadPadding,
}
