using System.Buffers.Binary;

namespace Telephony.Pbx.WebRtc.Stun;

/// <summary>
/// A STUN message (RFC 8489 §5, §14; wire format of RFC 5389) read as a view over the datagram: the header, the
/// transaction id and the attributes ICE uses are located once by <see cref="TryParse"/>, values stay slices of the
/// datagram. Never throws and never allocates; FINGERPRINT (§14.7), when present, is verified while parsing;
/// MESSAGE-INTEGRITY needs the key and is checked by <see cref="VerifyMessageIntegrity"/>.
/// </summary>
/// <remarks>
/// <code>
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// |0 0|     STUN Message Type     |         Message Length        |
/// |                         Magic Cookie                          |
/// |                     Transaction ID (96 bits)                  |
/// |         Type                  |            Length             |   (attributes, each padded to 4 bytes)
/// </code>
/// Only the first occurrence of an attribute counts (§5). Attributes after MESSAGE-INTEGRITY other than
/// MESSAGE-INTEGRITY-SHA256 and FINGERPRINT are ignored (§14.5), after MESSAGE-INTEGRITY-SHA256 all but
/// FINGERPRINT (§14.6). Unknown comprehension-optional attributes are skipped; unknown comprehension-required
/// ones are counted in <see cref="UnknownRequiredCount"/> for a 420 answer (§6.3.1).
/// </remarks>
public readonly ref partial struct StunMessage
{
    public const int HeaderSize = 20;
    public const uint MagicCookie = 0x2112A442;
    public const int TransactionIdSize = 12;

    /// <summary>Longest USERNAME accepted (RFC 8489 §14.3 allows fewer than 509 bytes; RFC 5389 fewer than 513).</summary>
    public const int MaxUsernameLength = 512;

    private const int MessageIntegritySize = 20;
    private const uint FingerprintXor = 0x5354554E;

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _username;
    private readonly int _usernameLength;
    private readonly int _xorMappedAddress;
    private readonly int _messageIntegrity;
    private readonly int _messageIntegritySha256;
    private readonly int _fingerprint;
    private readonly int _errorCode;
    private readonly int _priority;
    private readonly int _iceControlling;
    private readonly int _iceControlled;

    private StunMessage(ReadOnlySpan<byte> data, scoped in Offsets offsets)
    {
        _data = data;
        _username = offsets.Username;
        _usernameLength = offsets.UsernameLength;
        _xorMappedAddress = offsets.XorMappedAddress;
        _messageIntegrity = offsets.MessageIntegrity;
        _messageIntegritySha256 = offsets.MessageIntegritySha256;
        _fingerprint = offsets.Fingerprint;
        _errorCode = offsets.ErrorCode;
        _priority = offsets.Priority;
        _iceControlling = offsets.IceControlling;
        _iceControlled = offsets.IceControlled;
        UseCandidate = offsets.UseCandidate;
        UnknownRequiredCount = offsets.UnknownRequiredCount;
    }

    /// <summary>The whole message.</summary>
    public ReadOnlySpan<byte> Data => _data;

    public ushort MessageType => BinaryPrimitives.ReadUInt16BigEndian(_data);
    public ushort Method => StunMessageType.GetMethod(MessageType);
    public StunClass Class => StunMessageType.GetClass(MessageType);
    public ReadOnlySpan<byte> TransactionId => _data.Slice(8, TransactionIdSize);

    public bool HasUsername => _username > 0;

    /// <summary>USERNAME value without padding (empty when absent).</summary>
    public ReadOnlySpan<byte> Username => _username > 0 ? _data.Slice(_username, _usernameLength) : default;

    public bool HasXorMappedAddress => _xorMappedAddress > 0;
    public bool HasMessageIntegrity => _messageIntegrity > 0;
    public bool HasMessageIntegritySha256 => _messageIntegritySha256 > 0;

    /// <summary>FINGERPRINT was present (and, since parsing succeeded, matched).</summary>
    public bool HasFingerprint => _fingerprint > 0;

    public bool HasPriority => _priority > 0;

    /// <summary>PRIORITY (RFC 8445 §16.1), 0 when absent.</summary>
    public uint Priority => _priority > 0 ? BinaryPrimitives.ReadUInt32BigEndian(_data[_priority..]) : 0;

    /// <summary>USE-CANDIDATE is present (RFC 8445 §16.1).</summary>
    public bool UseCandidate { get; }

    public bool HasIceControlling => _iceControlling > 0;

    /// <summary>ICE-CONTROLLING tie-breaker, 0 when absent.</summary>
    public ulong IceControlling =>
        _iceControlling > 0 ? BinaryPrimitives.ReadUInt64BigEndian(_data[_iceControlling..]) : 0;

    public bool HasIceControlled => _iceControlled > 0;

    /// <summary>ICE-CONTROLLED tie-breaker, 0 when absent.</summary>
    public ulong IceControlled =>
        _iceControlled > 0 ? BinaryPrimitives.ReadUInt64BigEndian(_data[_iceControlled..]) : 0;

    public bool HasErrorCode => _errorCode > 0;

    /// <summary>ERROR-CODE as class × 100 + number (RFC 8489 §14.8), 0 when absent.</summary>
    public int ErrorCode => _errorCode > 0 ? ((_data[_errorCode + 2] & 0x7) * 100) + _data[_errorCode + 3] : 0;

    /// <summary>ERROR-CODE reason phrase (UTF-8), empty when absent.</summary>
    public ReadOnlySpan<byte> ErrorReason => _errorCode > 0
        ? _data.Slice(_errorCode + 4, BinaryPrimitives.ReadUInt16BigEndian(_data[(_errorCode - 2)..]) - 4)
        : default;

    /// <summary>Number of comprehension-required attributes this code does not understand (RFC 8489 §6.3.1).</summary>
    public int UnknownRequiredCount { get; }

    /// <summary>
    /// Parses and validates a message, returning why it was rejected; never throws. <paramref name="datagram"/>
    /// must be exactly one STUN message (the UDP case): trailing bytes are an error.
    /// </summary>
    public static StunParseError TryParse(ReadOnlySpan<byte> datagram, out StunMessage message)
    {
        message = default;
        var error = ParseHeader(datagram);
        if (error != StunParseError.None)
        {
            return error;
        }

        var offsets = default(Offsets);
        error = ParseAttributes(datagram, ref offsets);
        if (error != StunParseError.None)
        {
            return error;
        }

        if (offsets.Fingerprint > 0)
        {
            var attribute = offsets.Fingerprint - 4;
            var expected = BinaryPrimitives.ReadUInt32BigEndian(datagram[offsets.Fingerprint..]);
            if ((StunCrc32.Compute(datagram[..attribute]) ^ FingerprintXor) != expected)
            {
                return StunParseError.FingerprintMismatch;
            }
        }

        message = new StunMessage(datagram, offsets);
        return StunParseError.None;
    }

    /// <summary>
    /// Cheap test for the first byte, cookie and length only (RFC 8489 §6.3), before <see cref="TryParse"/>.
    /// </summary>
    public static bool LooksLikeStun(ReadOnlySpan<byte> datagram) => ParseHeader(datagram) == StunParseError.None;

    /// <summary>First occurrence of any attribute, by a scan (for attributes without a dedicated accessor).</summary>
    public bool TryGetAttribute(ushort type, out ReadOnlySpan<byte> value)
    {
        var offset = HeaderSize;
        while (offset + 4 <= _data.Length)
        {
            var attributeType = BinaryPrimitives.ReadUInt16BigEndian(_data[offset..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(_data[(offset + 2)..]);
            if (attributeType == type)
            {
                value = _data.Slice(offset + 4, length);
                return true;
            }

            offset += 4 + ((length + 3) & ~3);
        }

        value = default;
        return false;
    }

    /// <summary>Copies the types of the unknown comprehension-required attributes (for UNKNOWN-ATTRIBUTES).</summary>
    public int CopyUnknownRequired(Span<ushort> destination)
    {
        var count = 0;
        var offset = HeaderSize;
        while (offset + 4 <= _data.Length && count < destination.Length)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(_data[offset..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(_data[(offset + 2)..]);
            if (type < 0x8000 && !IsKnown(type))
            {
                destination[count++] = type;
            }

            offset += 4 + ((length + 3) & ~3);
        }

        return count;
    }

    private static StunParseError ParseHeader(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < HeaderSize)
        {
            return StunParseError.TooShort;
        }

        if ((datagram[0] & 0xC0) != 0)
        {
            return StunParseError.NotStun;
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) != MagicCookie)
        {
            return StunParseError.BadMagicCookie;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if ((length & 3) != 0)
        {
            return StunParseError.LengthNotAligned;
        }

        if (HeaderSize + length > datagram.Length)
        {
            return StunParseError.Truncated;
        }

        return HeaderSize + length < datagram.Length ? StunParseError.LengthMismatch : StunParseError.None;
    }

    private static bool IsKnown(ushort type) => type switch
    {
        (ushort)StunAttributeType.MappedAddress or (ushort)StunAttributeType.Username
            or (ushort)StunAttributeType.MessageIntegrity or (ushort)StunAttributeType.ErrorCode
            or (ushort)StunAttributeType.UnknownAttributes or (ushort)StunAttributeType.Realm
            or (ushort)StunAttributeType.Nonce or (ushort)StunAttributeType.MessageIntegritySha256
            or (ushort)StunAttributeType.XorMappedAddress or (ushort)StunAttributeType.Priority
            or (ushort)StunAttributeType.UseCandidate => true,
        _ => type >= 0x8000,
    };
}
