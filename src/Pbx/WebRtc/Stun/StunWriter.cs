using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Telephony.Pbx.WebRtc.Stun;

/// <summary>
/// Writes a STUN message (RFC 8489 §5, §14) into a caller's buffer: header first, then attributes in call order,
/// each padded to 4 bytes; the header length is kept current, so MESSAGE-INTEGRITY (§14.5) and FINGERPRINT (§14.7)
/// can be appended last and cover everything before them. Every <c>TryAdd…</c> returns false (and writes nothing)
/// when the buffer is too small. No allocation.
/// </summary>
public ref struct StunWriter
{
    private readonly Span<byte> _buffer;
    private int _length;

    /// <param name="buffer">Destination; at least <see cref="StunMessage.HeaderSize"/> bytes.</param>
    /// <param name="messageType">See <see cref="StunMessageType"/>.</param>
    /// <param name="transactionId">12 bytes (RFC 8489 §5).</param>
    public StunWriter(Span<byte> buffer, ushort messageType, ReadOnlySpan<byte> transactionId)
    {
        if (buffer.Length < StunMessage.HeaderSize)
        {
            throw new ArgumentException("A STUN buffer needs at least 20 bytes.", nameof(buffer));
        }

        if (transactionId.Length != StunMessage.TransactionIdSize)
        {
            throw new ArgumentException("A STUN transaction id is 12 bytes.", nameof(transactionId));
        }

        _buffer = buffer;
        BinaryPrimitives.WriteUInt16BigEndian(buffer, (ushort)(messageType & 0x3FFF));
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], StunMessage.MagicCookie);
        transactionId.CopyTo(buffer[8..]);
        _length = StunMessage.HeaderSize;
        SetLength(_length);
    }

    /// <summary>Bytes written so far (the whole message).</summary>
    public readonly int Length => _length;

    /// <summary>The message written so far.</summary>
    public readonly ReadOnlySpan<byte> Written => _buffer[.._length];

    /// <summary>Value of padding bytes (0 by default; RFC 5769's vectors pad with 0x20).</summary>
    public byte PaddingByte { get; set; }

    /// <summary>Any attribute with a raw value.</summary>
    public bool TryAdd(ushort type, scoped ReadOnlySpan<byte> value)
    {
        if (!TryReserve(type, value.Length, out var destination))
        {
            return false;
        }

        value.CopyTo(destination);
        return true;
    }

    public bool TryAddUsername(scoped ReadOnlySpan<byte> username) => TryAdd((ushort)StunAttributeType.Username, username);

    public bool TryAddSoftware(scoped ReadOnlySpan<byte> software) => TryAdd((ushort)StunAttributeType.Software, software);

    /// <summary>PRIORITY (RFC 8445 §16.1).</summary>
    public bool TryAddPriority(uint priority)
    {
        if (!TryReserve((ushort)StunAttributeType.Priority, 4, out var destination))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination, priority);
        return true;
    }

    /// <summary>USE-CANDIDATE (RFC 8445 §16.1), empty.</summary>
    public bool TryAddUseCandidate() => TryReserve((ushort)StunAttributeType.UseCandidate, 0, out _);

    /// <summary>ICE-CONTROLLING with its tie-breaker (RFC 8445 §16.1).</summary>
    public bool TryAddIceControlling(ulong tieBreaker) =>
        TryAddUInt64((ushort)StunAttributeType.IceControlling, tieBreaker);

    /// <summary>ICE-CONTROLLED with its tie-breaker (RFC 8445 §16.1).</summary>
    public bool TryAddIceControlled(ulong tieBreaker) =>
        TryAddUInt64((ushort)StunAttributeType.IceControlled, tieBreaker);

    /// <summary>ERROR-CODE (RFC 8489 §14.8): code 300-699 and a UTF-8 reason phrase.</summary>
    public bool TryAddErrorCode(int code, scoped ReadOnlySpan<byte> reason)
    {
        if (code is < 300 or > 699)
        {
            throw new ArgumentOutOfRangeException(nameof(code), code, "STUN error codes are 300-699.");
        }

        if (!TryReserve((ushort)StunAttributeType.ErrorCode, 4 + reason.Length, out var destination))
        {
            return false;
        }

        destination[0] = 0;
        destination[1] = 0;
        destination[2] = (byte)(code / 100);
        destination[3] = (byte)(code % 100);
        reason.CopyTo(destination[4..]);
        return true;
    }

    /// <summary>UNKNOWN-ATTRIBUTES (RFC 8489 §14.9).</summary>
    public bool TryAddUnknownAttributes(scoped ReadOnlySpan<ushort> types)
    {
        if (!TryReserve((ushort)StunAttributeType.UnknownAttributes, 2 * types.Length, out var destination))
        {
            return false;
        }

        for (var i = 0; i < types.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[(2 * i)..], types[i]);
        }

        return true;
    }

    /// <summary>XOR-MAPPED-ADDRESS (RFC 8489 §14.2) from a 4- or 16-byte address in network order.</summary>
    public bool TryAddXorMappedAddress(scoped ReadOnlySpan<byte> address, ushort port)
    {
        if (address.Length is not (4 or 16))
        {
            throw new ArgumentException("An address is 4 (IPv4) or 16 (IPv6) bytes.", nameof(address));
        }

        if (!TryReserve((ushort)StunAttributeType.XorMappedAddress, 4 + address.Length, out var destination))
        {
            return false;
        }

        destination[0] = 0;
        destination[1] = address.Length == 4 ? (byte)0x01 : (byte)0x02;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(port ^ (StunMessage.MagicCookie >> 16)));
        ReadOnlySpan<byte> mask = _buffer.Slice(4, 16);
        for (var i = 0; i < address.Length; i++)
        {
            destination[4 + i] = (byte)(address[i] ^ mask[i]);
        }

        return true;
    }

    /// <summary>
    /// XOR-MAPPED-ADDRESS of a received datagram's source (an IPv4-mapped IPv6 source, as dual-mode sockets report
    /// IPv4 peers, is written as IPv4). No allocation.
    /// </summary>
    public bool TryAddXorMappedAddress(SocketAddress source)
    {
        ArgumentNullException.ThrowIfNull(source);
        Span<byte> address = stackalloc byte[16];
        if (!SocketAddressBytes.TryRead(source, address, out var length, out var port))
        {
            throw new ArgumentException("Only IPv4 and IPv6 socket addresses are supported.", nameof(source));
        }

        return TryAddXorMappedAddress(address[..length], port);
    }

    /// <summary>XOR-MAPPED-ADDRESS from an endpoint (convenience).</summary>
    public bool TryAddXorMappedAddress(IPEndPoint endPoint)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var ip = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        Span<byte> address = stackalloc byte[16];
        ip.TryWriteBytes(address, out var length);
        return TryAddXorMappedAddress(address[..(ip.AddressFamily == AddressFamily.InterNetwork ? 4 : length)],
            (ushort)endPoint.Port);
    }

    /// <summary>MESSAGE-INTEGRITY (RFC 8489 §14.5): HMAC-SHA1 over everything written so far.</summary>
    public bool TryAddMessageIntegrity(scoped ReadOnlySpan<byte> key)
    {
        const int size = 20;
        if (_buffer.Length - _length < 4 + size)
        {
            return false;
        }

        SetLength(_length + 4 + size);
        StunMessage.HashSha1(key, _buffer[.._length], _buffer.Slice(_length + 4, size));
        WriteAttributeHeader((ushort)StunAttributeType.MessageIntegrity, size);
        _length += 4 + size;
        return true;
    }

    /// <summary>MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6), untruncated (32 bytes).</summary>
    public bool TryAddMessageIntegritySha256(scoped ReadOnlySpan<byte> key)
    {
        const int size = 32;
        if (_buffer.Length - _length < 4 + size)
        {
            return false;
        }

        SetLength(_length + 4 + size);
        HMACSHA256.HashData(key, _buffer[.._length], _buffer.Slice(_length + 4, size));
        WriteAttributeHeader((ushort)StunAttributeType.MessageIntegritySha256, size);
        _length += 4 + size;
        return true;
    }

    /// <summary>FINGERPRINT (RFC 8489 §14.7): CRC-32 of everything written so far XOR 0x5354554E; add it last.</summary>
    public bool TryAddFingerprint()
    {
        if (_buffer.Length - _length < 8)
        {
            return false;
        }

        SetLength(_length + 8);
        var crc = StunCrc32.Compute(_buffer[.._length]) ^ 0x5354554E;
        WriteAttributeHeader((ushort)StunAttributeType.Fingerprint, 4);
        BinaryPrimitives.WriteUInt32BigEndian(_buffer[(_length + 4)..], crc);
        _length += 8;
        return true;
    }

    private bool TryAddUInt64(ushort type, ulong value)
    {
        if (!TryReserve(type, 8, out var destination))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt64BigEndian(destination, value);
        return true;
    }

    private bool TryReserve(ushort type, int valueLength, out Span<byte> value)
    {
        var padded = (valueLength + 3) & ~3;
        if (valueLength > ushort.MaxValue || _buffer.Length - _length < 4 + padded
            || _length + 4 + padded - StunMessage.HeaderSize > ushort.MaxValue)
        {
            value = default;
            return false;
        }

        WriteAttributeHeader(type, valueLength);
        value = _buffer.Slice(_length + 4, valueLength);
        _buffer.Slice(_length + 4 + valueLength, padded - valueLength).Fill(PaddingByte);
        _length += 4 + padded;
        SetLength(_length);
        return true;
    }

    private readonly void WriteAttributeHeader(ushort type, int valueLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_length..], type);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[(_length + 2)..], (ushort)valueLength);
    }

    private readonly void SetLength(int totalLength) =>
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], (ushort)(totalLength - StunMessage.HeaderSize));
}
