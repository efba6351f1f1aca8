namespace Telephony.Pbx.WebRtc.Dtls;

/// <summary>
/// A DTLS-SRTP handshake that did not complete: the reason, and the TLS alert involved if any (RFC 5246 §7.2).
/// </summary>
public sealed class DtlsHandshakeException : Exception
{
    public DtlsHandshakeException()
    {
    }

    public DtlsHandshakeException(string message)
        : base(message)
    {
    }

    public DtlsHandshakeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public DtlsHandshakeException(DtlsFailureReason reason, string message, int? alertDescription = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
        AlertDescription = alertDescription;
    }

    public DtlsFailureReason Reason { get; } = DtlsFailureReason.ProtocolError;

    /// <summary>The TLS AlertDescription sent or received (e.g. 42 bad_certificate), when there was one.</summary>
    public int? AlertDescription { get; }
}
