namespace Telephony.Pbx.WebRtc.Dtls;

/// <summary>
/// Our DTLS role (RFC 5763 §5 / RFC 8842 §5): the server answers with <c>a=setup:passive</c> (and offers
/// <c>actpass</c>) and is always <see cref="Server"/>; <see cref="Client"/> is for tests and load clients.
/// </summary>
public enum DtlsRole
{
    Server,
    Client,
}
