namespace Telephony.Pbx.WebRtc.Stun;

/// <summary>The class bits C1 C0 of a STUN message type (RFC 8489 §5).</summary>
public enum StunClass
{
    Request = 0,
    Indication = 1,
    SuccessResponse = 2,
    ErrorResponse = 3,
}
