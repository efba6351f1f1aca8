using System.Buffers.Binary;

namespace Telephony.Pbx.WebRtc.Stun;

/// <content>The attribute walk of <see cref="TryParse"/> (RFC 8489 §14).</content>
public readonly ref partial struct StunMessage
{
    private static StunParseError ParseAttributes(ReadOnlySpan<byte> data, ref Offsets offsets)
    {
        var offset = HeaderSize;
        var end = data.Length;

        // 0 = before any integrity, 1 = after MESSAGE-INTEGRITY, 2 = after MESSAGE-INTEGRITY-SHA256.
        var integrityState = 0;
        while (offset < end)
        {
            if (offsets.Fingerprint > 0)
            {
                return StunParseError.AttributeAfterFingerprint;
            }

            if (end - offset < 4)
            {
                return StunParseError.AttributeTruncated;
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
            var value = offset + 4;
            var next = value + ((length + 3) & ~3);
            if (next > end)
            {
                return StunParseError.AttributeTruncated;
            }

            var error = type switch
            {
                (ushort)StunAttributeType.Fingerprint => Record(length == 4, value, ref offsets.Fingerprint),
                (ushort)StunAttributeType.MessageIntegrity when integrityState == 0 =>
                    Record(length == MessageIntegritySize, value, ref offsets.MessageIntegrity),
                (ushort)StunAttributeType.MessageIntegritySha256 when integrityState < 2 =>
                    Record(length is >= 16 and <= 32 && (length & 3) == 0, value, ref offsets.MessageIntegritySha256),
                _ when integrityState > 0 => StunParseError.None, // ignored after integrity (§14.5, §14.6)
                _ => ParseOrdinary(data, type, length, value, ref offsets),
            };
            if (error != StunParseError.None)
            {
                return error;
            }

            if (type == (ushort)StunAttributeType.MessageIntegrity && integrityState == 0)
            {
                integrityState = 1;
            }
            else if (type == (ushort)StunAttributeType.MessageIntegritySha256)
            {
                integrityState = 2;
            }

            offset = next;
        }

        return StunParseError.None;
    }

    private static StunParseError ParseOrdinary(ReadOnlySpan<byte> data, ushort type, int length, int value,
        ref Offsets offsets)
    {
        switch (type)
        {
            case (ushort)StunAttributeType.Username:
                if (length > MaxUsernameLength)
                {
                    return StunParseError.BadAttributeLength;
                }

                if (offsets.Username == 0)
                {
                    offsets.Username = value;
                    offsets.UsernameLength = length;
                }

                return StunParseError.None;
            case (ushort)StunAttributeType.XorMappedAddress:
            case (ushort)StunAttributeType.MappedAddress:
            case (ushort)StunAttributeType.AlternateServer:
                var addressError = CheckAddress(data, length, value);
                if (addressError == StunParseError.None && type == (ushort)StunAttributeType.XorMappedAddress
                    && offsets.XorMappedAddress == 0)
                {
                    offsets.XorMappedAddress = value;
                }

                return addressError;
            case (ushort)StunAttributeType.ErrorCode:
                return Record(length is >= 4 and <= 4 + 763, value, ref offsets.ErrorCode);
            case (ushort)StunAttributeType.Priority:
                return Record(length == 4, value, ref offsets.Priority);
            case (ushort)StunAttributeType.IceControlling:
                return Record(length == 8, value, ref offsets.IceControlling);
            case (ushort)StunAttributeType.IceControlled:
                return Record(length == 8, value, ref offsets.IceControlled);
            case (ushort)StunAttributeType.UseCandidate:
                offsets.UseCandidate = true;
                return length == 0 ? StunParseError.None : StunParseError.BadAttributeLength;
            case (ushort)StunAttributeType.UnknownAttributes:
                return (length & 1) == 0 ? StunParseError.None : StunParseError.BadAttributeLength;
            default:
                if (!IsKnown(type))
                {
                    offsets.UnknownRequiredCount++;
                }

                return StunParseError.None;
        }
    }

    private static StunParseError CheckAddress(ReadOnlySpan<byte> data, int length, int value)
    {
        if (length < 4)
        {
            return StunParseError.BadAttributeLength;
        }

        return data[value + 1] switch
        {
            0x01 => length == 8 ? StunParseError.None : StunParseError.BadAttributeLength,
            0x02 => length == 20 ? StunParseError.None : StunParseError.BadAttributeLength,
            _ => StunParseError.BadAddressFamily,
        };
    }

    private static StunParseError Record(bool lengthOk, int value, ref int offset)
    {
        if (!lengthOk)
        {
            return StunParseError.BadAttributeLength;
        }

        if (offset == 0)
        {
            offset = value;
        }

        return StunParseError.None;
    }

    /// <summary>Value offsets of the attributes found (0 = absent; a value never starts before byte 24).</summary>
    private struct Offsets
    {
        public int Username;
        public int UsernameLength;
        public int XorMappedAddress;
        public int MessageIntegrity;
        public int MessageIntegritySha256;
        public int Fingerprint;
        public int ErrorCode;
        public int Priority;
        public int IceControlling;
        public int IceControlled;
        public bool UseCandidate;
        public int UnknownRequiredCount;
    }
}
