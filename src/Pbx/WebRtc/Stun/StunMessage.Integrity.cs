using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Security.Cryptography;

namespace Telephony.Pbx.WebRtc.Stun;

/// <content>MESSAGE-INTEGRITY (RFC 8489 §14.5), MESSAGE-INTEGRITY-SHA256 (§14.6) and XOR-MAPPED-ADDRESS (§14.2).</content>
public readonly ref partial struct StunMessage
{
    private const int StackCopyLimit = 1500;

    /// <summary>
    /// Checks MESSAGE-INTEGRITY: HMAC-SHA1 keyed with <paramref name="key"/> (short-term credential: the password,
    /// RFC 8489 §9.1.1; long-term: MD5(username:realm:password), §9.2.2) over the message up to the attribute, with
    /// the header length adjusted to end after it. Constant-time compare; false when absent. No allocation.
    /// </summary>
    public bool VerifyMessageIntegrity(ReadOnlySpan<byte> key) =>
        _messageIntegrity > 0 && VerifyHmac(key, _messageIntegrity, MessageIntegritySize, sha256: false);

    /// <summary>
    /// Checks MESSAGE-INTEGRITY-SHA256 (HMAC-SHA256, possibly truncated to 16-32 bytes) like
    /// <see cref="VerifyMessageIntegrity"/>; false when absent.
    /// </summary>
    public bool VerifyMessageIntegritySha256(ReadOnlySpan<byte> key)
    {
        if (_messageIntegritySha256 <= 0)
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt16BigEndian(_data[(_messageIntegritySha256 - 2)..]);
        return VerifyHmac(key, _messageIntegritySha256, length, sha256: true);
    }

    /// <summary>
    /// Decodes XOR-MAPPED-ADDRESS into <paramref name="address"/> (4 or 16 bytes, network order). No allocation.
    /// </summary>
    public bool TryGetXorMappedAddress(Span<byte> address, out int addressLength, out ushort port)
    {
        addressLength = 0;
        port = 0;
        if (_xorMappedAddress <= 0)
        {
            return false;
        }

        var value = _data[_xorMappedAddress..];
        addressLength = value[1] == 0x01 ? 4 : 16;
        if (address.Length < addressLength)
        {
            addressLength = 0;
            return false;
        }

        port = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(value[2..]) ^ (MagicCookie >> 16));

        // X-Address is XOR'ed with the magic cookie followed by the transaction id (the 16 bytes at 4..20).
        var mask = _data.Slice(4, 16);
        for (var i = 0; i < addressLength; i++)
        {
            address[i] = (byte)(value[4 + i] ^ mask[i]);
        }

        return true;
    }

    /// <summary>Decodes XOR-MAPPED-ADDRESS to an endpoint (allocates; tests and cold paths).</summary>
    public bool TryGetXorMappedAddress([NotNullWhen(true)] out IPEndPoint? endPoint)
    {
        Span<byte> address = stackalloc byte[16];
        if (!TryGetXorMappedAddress(address, out var length, out var port))
        {
            endPoint = null;
            return false;
        }

        endPoint = new IPEndPoint(new IPAddress(address[..length]), port);
        return true;
    }

    private bool VerifyHmac(ReadOnlySpan<byte> key, int valueOffset, int length, bool sha256)
    {
        var attribute = valueOffset - 4;
        byte[]? rented = null;
        Span<byte> copy = attribute <= StackCopyLimit
            ? stackalloc byte[StackCopyLimit]
            : rented = ArrayPool<byte>.Shared.Rent(attribute);
        try
        {
            copy = copy[..attribute];
            _data[..attribute].CopyTo(copy);

            // §14.5: the length field counts up to the end of this attribute, as if it were the last one.
            BinaryPrimitives.WriteUInt16BigEndian(copy[2..], (ushort)(attribute - HeaderSize + 4 + length));
            Span<byte> hash = stackalloc byte[32];
            var written = sha256 ? HMACSHA256.HashData(key, copy, hash) : HashSha1(key, copy, hash);
            return written >= length
                && CryptographicOperations.FixedTimeEquals(hash[..length], _data.Slice(valueOffset, length));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    [SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms",
        Justification = "RFC 8489 §14.5 defines MESSAGE-INTEGRITY as HMAC-SHA1.")]
    internal static int HashSha1(ReadOnlySpan<byte> key, ReadOnlySpan<byte> source, Span<byte> destination) =>
        HMACSHA1.HashData(key, source, destination);
}
