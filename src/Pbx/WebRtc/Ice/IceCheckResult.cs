namespace Telephony.Pbx.WebRtc.Ice;

/// <summary>
/// What <see cref="IceLiteResponder.Handle(ReadOnlySpan{byte}, System.Net.SocketAddress, Span{byte}, out int)"/>
/// did with a datagram. The <c>Rejected…</c> values wrote an error response (send it); the <c>Dropped…</c> values
/// wrote nothing (count them).
/// </summary>
public enum IceCheckResult
{
    /// <summary>Valid check: a Binding success response was written.</summary>
    Answered,

    /// <summary>
    /// Valid check with USE-CANDIDATE from a new address: answered, and the source is now the media destination.
    /// </summary>
    Nominated,

    /// <summary>400: no USERNAME or no MESSAGE-INTEGRITY, or a request other than Binding (RFC 8489 §9.1.3, §6.3.1).</summary>
    RejectedBadRequest,

    /// <summary>401: USERNAME is not <c>localUfrag:remoteUfrag</c> or MESSAGE-INTEGRITY is wrong (RFC 8489 §9.1.3).</summary>
    RejectedUnauthenticated,

    /// <summary>420: unknown comprehension-required attributes (RFC 8489 §6.3.1).</summary>
    RejectedUnknownAttribute,

    /// <summary>487: the peer claims the controlled role too; a lite agent stays controlled (RFC 8445 §7.3.1.1).</summary>
    RejectedRoleConflict,

    /// <summary>Not a well-formed STUN message (see <see cref="IceLiteResponder.LastParseError"/>).</summary>
    DroppedMalformed,

    /// <summary>A STUN indication (e.g. a Binding keep-alive) or a response: nothing to answer.</summary>
    DroppedNotRequest,

    /// <summary>A request without FINGERPRINT, which ICE connectivity checks must carry (RFC 8445 §7).</summary>
    DroppedNoFingerprint,

    /// <summary>The response buffer was too small (a programming error; use at least 256 bytes).</summary>
    DroppedBufferTooSmall,
}
