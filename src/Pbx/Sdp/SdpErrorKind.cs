namespace Telephony.Pbx.Sdp;

/// <summary>Why an SDP body was rejected (RFC 8866 §9 grammar, plus our <see cref="SdpLimits"/>).</summary>
public enum SdpErrorKind
{
    /// <summary>Body is larger than <see cref="SdpLimits.MaxSizeBytes"/>.</summary>
    TooLarge,

    /// <summary>More than <see cref="SdpLimits.MaxLines"/> lines.</summary>
    TooManyLines,

    /// <summary>A line is longer than <see cref="SdpLimits.MaxLineLength"/>.</summary>
    LineTooLong,

    /// <summary>More than <see cref="SdpLimits.MaxMediaCount"/> m= lines.</summary>
    TooManyMedia,

    /// <summary>Not UTF-8, or contains NUL / stray CR.</summary>
    InvalidEncoding,

    /// <summary>A line does not match the grammar of its type.</summary>
    Syntax,

    /// <summary>A required line (v=, o=, c=) is missing.</summary>
    MissingLine,

    /// <summary>A number is outside its allowed range (port, payload type...).</summary>
    OutOfRange,

    /// <summary>A line type that is unknown, duplicated or out of place.</summary>
    UnexpectedLine,
}
