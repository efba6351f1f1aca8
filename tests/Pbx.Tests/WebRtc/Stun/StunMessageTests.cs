using System.Buffers.Binary;
using System.Net;
using System.Text;
using Telephony.Pbx.WebRtc.Stun;

namespace Telephony.Pbx.Tests.WebRtc.Stun;

/// <summary>One case per <see cref="StunParseError"/>, plus the attribute rules of RFC 8489 §5 and §14.</summary>
public sealed class StunMessageTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes(Rfc5769Vectors.Password);
    private static readonly byte[] Tid = Rfc5769Vectors.TransactionId;

    [Fact]
    public void Crc32_gives_the_published_check_value()
    {
        Assert.Equal(0xCBF43926u, StunCrc32.Compute("123456789"u8));
        Assert.Equal(0u, StunCrc32.Compute([]));
    }

    [Theory]
    [InlineData(0x0001, 0x001, StunClass.Request)]
    [InlineData(0x0011, 0x001, StunClass.Indication)]
    [InlineData(0x0101, 0x001, StunClass.SuccessResponse)]
    [InlineData(0x0111, 0x001, StunClass.ErrorResponse)]
    [InlineData(0x3EEF, 0xFFF, StunClass.Request)]
    public void Message_type_splits_into_method_and_class_and_back(int type, int method, StunClass stunClass)
    {
        Assert.Equal(method, StunMessageType.GetMethod((ushort)type));
        Assert.Equal(stunClass, StunMessageType.GetClass((ushort)type));
        Assert.Equal(type, StunMessageType.Compose((ushort)method, stunClass));
    }

    [Fact]
    public void Shorter_than_the_header_is_TooShort() =>
        Assert.Equal(StunParseError.TooShort, Parse(Rfc5769Vectors.SampleRequest.AsSpan(0, 19).ToArray()));

    [Fact]
    public void First_two_bits_set_is_NotStun()
    {
        var m = Copy(Rfc5769Vectors.SampleRequest);
        m[0] |= 0x40;
        Assert.Equal(StunParseError.NotStun, Parse(m));
    }

    [Fact]
    public void Wrong_cookie_is_BadMagicCookie()
    {
        var m = Copy(Rfc5769Vectors.SampleRequest);
        m[4] = 0x22;
        Assert.Equal(StunParseError.BadMagicCookie, Parse(m));
    }

    [Fact]
    public void Length_not_multiple_of_4_is_LengthNotAligned()
    {
        var m = Copy(Rfc5769Vectors.SampleRequest);
        m[3] = 0x57;
        Assert.Equal(StunParseError.LengthNotAligned, Parse(m));
    }

    [Fact]
    public void Datagram_shorter_than_the_length_field_is_Truncated() =>
        Assert.Equal(StunParseError.Truncated, Parse(Rfc5769Vectors.SampleRequest[..^4]));

    [Fact]
    public void Bytes_after_the_message_are_LengthMismatch() =>
        Assert.Equal(StunParseError.LengthMismatch, Parse([.. Rfc5769Vectors.SampleRequest, 0, 0, 0, 0]));

    [Fact]
    public void Attribute_running_past_the_end_is_AttributeTruncated()
    {
        byte[] m = [.. Header(8), 0x00, 0x06, 0x00, 0x09, (byte)'a', (byte)'b', (byte)'c', (byte)'d'];
        Assert.Equal(StunParseError.AttributeTruncated, Parse(m));
    }

    [Fact]
    public void Half_an_attribute_header_is_AttributeTruncated()
    {
        // Length 4 but only a 2-byte type follows: a 4-aligned length cannot end mid-header, so build it by hand.
        byte[] m = [.. Header(4), 0x00, 0x24, 0x00, 0x08];
        Assert.Equal(StunParseError.AttributeTruncated, Parse(m));
    }

    [Theory]
    [InlineData(0x0024, 3)]  // PRIORITY is 4 bytes
    [InlineData(0x8029, 4)]  // ICE-CONTROLLED is 8 bytes
    [InlineData(0x802A, 12)] // ICE-CONTROLLING is 8 bytes
    [InlineData(0x0025, 4)]  // USE-CANDIDATE is empty
    [InlineData(0x0008, 16)] // MESSAGE-INTEGRITY is 20 bytes
    [InlineData(0x001C, 12)] // MESSAGE-INTEGRITY-SHA256 is 16-32 bytes
    [InlineData(0x8028, 8)]  // FINGERPRINT is 4 bytes
    [InlineData(0x0009, 3)]  // ERROR-CODE is at least 4 bytes
    [InlineData(0x000A, 3)]  // UNKNOWN-ATTRIBUTES is a list of 16-bit types
    public void Known_attribute_with_a_wrong_length_is_BadAttributeLength(int type, int length) =>
        Assert.Equal(StunParseError.BadAttributeLength, Parse(Message((ushort)type, new byte[length])));

    [Fact]
    public void Username_longer_than_the_limit_is_BadAttributeLength() =>
        Assert.Equal(StunParseError.BadAttributeLength,
            Parse(Message((ushort)StunAttributeType.Username, new byte[StunMessage.MaxUsernameLength + 1])));

    [Fact]
    public void Xor_mapped_address_family_3_is_BadAddressFamily() =>
        Assert.Equal(StunParseError.BadAddressFamily,
            Parse(Message((ushort)StunAttributeType.XorMappedAddress, [0, 3, 0, 0, 1, 2, 3, 4])));

    [Fact]
    public void Xor_mapped_IPv6_with_an_IPv4_length_is_BadAttributeLength() =>
        Assert.Equal(StunParseError.BadAttributeLength,
            Parse(Message((ushort)StunAttributeType.XorMappedAddress, [0, 2, 0, 0, 1, 2, 3, 4])));

    [Fact]
    public void Attribute_after_fingerprint_is_AttributeAfterFingerprint()
    {
        byte[] m = [.. Rfc5769Vectors.SampleRequest, 0x00, 0x25, 0x00, 0x00];
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(2), (ushort)(m.Length - 20));
        Assert.Equal(StunParseError.AttributeAfterFingerprint, Parse(m));
    }

    [Fact]
    public void Changed_byte_is_FingerprintMismatch()
    {
        var m = Copy(Rfc5769Vectors.SampleRequest);
        m[^20] ^= 1; // inside the MESSAGE-INTEGRITY value
        Assert.Equal(StunParseError.FingerprintMismatch, Parse(m));
    }

    [Fact]
    public void Integrity_with_another_key_does_not_verify()
    {
        var buffer = new byte[128];
        var w = new StunWriter(buffer, StunMessageType.BindingRequest, Tid);
        w.TryAddUsername("a:b"u8);
        w.TryAddMessageIntegrity("another password"u8);
        w.TryAddFingerprint();
        Assert.Equal(StunParseError.None, StunMessage.TryParse(w.Written, out var m));
        Assert.False(m.VerifyMessageIntegrity(Key));
        Assert.True(m.VerifyMessageIntegrity("another password"u8));
    }

    [Fact]
    public void Missing_integrity_does_not_verify()
    {
        var datagram = Message((ushort)StunAttributeType.Username, "a:b"u8.ToArray());
        Assert.Equal(StunParseError.None, StunMessage.TryParse(datagram, out var m));
        Assert.False(m.HasMessageIntegrity);
        Assert.False(m.VerifyMessageIntegrity(Key));
        Assert.False(m.VerifyMessageIntegritySha256(Key));
    }

    [Fact]
    public void Message_integrity_sha256_is_written_and_verified()
    {
        var buffer = new byte[128];
        var w = new StunWriter(buffer, StunMessageType.BindingRequest, Tid);
        w.TryAddUsername("a:b"u8);
        w.TryAddMessageIntegrity(Key);
        w.TryAddMessageIntegritySha256(Key);
        w.TryAddFingerprint();
        Assert.Equal(StunParseError.None, StunMessage.TryParse(w.Written, out var m));
        Assert.True(m.VerifyMessageIntegrity(Key));
        Assert.True(m.VerifyMessageIntegritySha256(Key));
        Assert.False(m.VerifyMessageIntegritySha256("x"u8));
    }

    [Fact]
    public void Unknown_comprehension_required_attributes_are_reported_and_optional_ones_skipped()
    {
        var buffer = new byte[128];
        var w = new StunWriter(buffer, StunMessageType.BindingRequest, Tid);
        w.TryAdd(0x7777, [1, 2, 3]);
        w.TryAdd(0xC057, [0, 1, 0, 2]); // GOOG-NETWORK-INFO, comprehension-optional
        w.TryAdd(0x001E, []);           // USERHASH: not implemented here
        Assert.Equal(StunParseError.None, StunMessage.TryParse(w.Written, out var m));
        Assert.Equal(2, m.UnknownRequiredCount);
        Span<ushort> unknown = stackalloc ushort[4];
        Assert.Equal(2, m.CopyUnknownRequired(unknown));
        Assert.Equal(0x7777, unknown[0]);
        Assert.Equal(0x001E, unknown[1]);
    }

    [Fact]
    public void Attributes_after_message_integrity_are_ignored_but_fingerprint_counts()
    {
        var buffer = new byte[128];
        var w = new StunWriter(buffer, StunMessageType.BindingRequest, Tid);
        w.TryAddMessageIntegrity(Key);
        w.TryAddUsername("late:user"u8);
        w.TryAddUseCandidate();
        w.TryAdd(0x7777, []);
        w.TryAddFingerprint();
        Assert.Equal(StunParseError.None, StunMessage.TryParse(w.Written, out var m));
        Assert.False(m.HasUsername);
        Assert.False(m.UseCandidate);
        Assert.Equal(0, m.UnknownRequiredCount);
        Assert.True(m.HasFingerprint);
        Assert.True(m.VerifyMessageIntegrity(Key));
    }

    [Fact]
    public void Only_the_first_occurrence_of_an_attribute_counts()
    {
        var buffer = new byte[128];
        var w = new StunWriter(buffer, StunMessageType.BindingRequest, Tid);
        w.TryAddPriority(1);
        w.TryAddPriority(2);
        Assert.Equal(StunParseError.None, StunMessage.TryParse(w.Written, out var m));
        Assert.Equal(1u, m.Priority);
    }

    [Fact]
    public void Error_code_and_ice_attributes_round_trip()
    {
        var buffer = new byte[128];
        var w = new StunWriter(buffer, StunMessageType.BindingErrorResponse, Tid);
        w.TryAddErrorCode(487, "Role Conflict"u8);
        w.TryAddIceControlling(0x0102030405060708);
        w.TryAddUseCandidate();
        w.TryAddUnknownAttributes([0x7777, 0x0001]);
        Assert.Equal(StunParseError.None, StunMessage.TryParse(w.Written, out var m));
        Assert.Equal(StunClass.ErrorResponse, m.Class);
        Assert.Equal(487, m.ErrorCode);
        Assert.Equal("Role Conflict", Encoding.UTF8.GetString(m.ErrorReason));
        Assert.Equal(0x0102030405060708ul, m.IceControlling);
        Assert.True(m.UseCandidate);
    }

    [Theory]
    [InlineData("198.51.100.7", 50000, "198.51.100.7")]
    [InlineData("2001:db8::1", 9, "2001:db8::1")]
    [InlineData("::ffff:198.51.100.7", 65535, "198.51.100.7")] // dual-mode socket source, reported as IPv4
    public void Xor_mapped_address_from_a_socket_address_round_trips(string ip, int port, string expected)
    {
        var buffer = new byte[128];
        var w = new StunWriter(buffer, StunMessageType.BindingSuccessResponse, Tid);
        Assert.True(w.TryAddXorMappedAddress(new IPEndPoint(IPAddress.Parse(ip), port).Serialize()));
        Assert.Equal(StunParseError.None, StunMessage.TryParse(w.Written, out var m));
        Assert.True(m.TryGetXorMappedAddress(out var endPoint));
        Assert.Equal(new IPEndPoint(IPAddress.Parse(expected), port), endPoint);
    }

    [Fact]
    public void Writer_refuses_attributes_that_do_not_fit()
    {
        var buffer = new byte[28];
        var w = new StunWriter(buffer, StunMessageType.BindingRequest, Tid);
        Assert.True(w.TryAddPriority(1));
        Assert.False(w.TryAddPriority(2));
        Assert.False(w.TryAddMessageIntegrity(Key));
        Assert.False(w.TryAddFingerprint());
        Assert.Equal(28, w.Length);
        Assert.Equal(StunParseError.None, StunMessage.TryParse(w.Written, out _));
    }

    private static StunParseError Parse(byte[] datagram) => StunMessage.TryParse(datagram, out _);

    private static byte[] Copy(byte[] source) => (byte[])source.Clone();

    private static byte[] Header(int length)
    {
        var header = new byte[20];
        header[1] = 0x01;
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)length);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), StunMessage.MagicCookie);
        Tid.CopyTo(header, 8);
        return header;
    }

    /// <summary>A request with one raw attribute, padded with zeros.</summary>
    private static byte[] Message(ushort type, byte[] value)
    {
        var padded = (value.Length + 3) & ~3;
        var m = new byte[20 + 4 + padded];
        Header(4 + padded).CopyTo(m, 0);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(20), type);
        BinaryPrimitives.WriteUInt16BigEndian(m.AsSpan(22), (ushort)value.Length);
        value.CopyTo(m, 24);
        return m;
    }
}
