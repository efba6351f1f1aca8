namespace Telephony.Pbx.WebRtc.Stun;

/// <summary>STUN error codes used here (RFC 8489 §14.8, RFC 8445 §7.3.1.1) and their reason phrases.</summary>
public static class StunErrorCode
{
    public const int BadRequest = 400;
    public const int Unauthenticated = 401;
    public const int UnknownAttribute = 420;
    public const int RoleConflict = 487;

    /// <summary>The recommended reason phrase as UTF-8 bytes (no allocation).</summary>
    public static ReadOnlySpan<byte> GetReason(int code) => code switch
    {
        BadRequest => "Bad Request"u8,
        Unauthenticated => "Unauthenticated"u8,
        UnknownAttribute => "Unknown Attribute"u8,
        RoleConflict => "Role Conflict"u8,
        _ => "Error"u8,
    };
}
