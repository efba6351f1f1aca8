using System.Net;
using System.Security.Cryptography;
using System.Text;
using Telephony.Pbx.WebRtc.Stun;

namespace Telephony.Pbx.Tests.WebRtc.Stun;

/// <summary>RFC 5769 §2: every vector parses and verifies, and the writer reproduces §2.1-2.3 byte for byte.</summary>
public sealed class StunRfc5769Tests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes(Rfc5769Vectors.Password);

    [Fact]
    public void Sample_request_2_1_parses_with_every_attribute_and_verifies()
    {
        Assert.Equal(StunParseError.None, StunMessage.TryParse(Rfc5769Vectors.SampleRequest, out var m));
        Assert.Equal(StunClass.Request, m.Class);
        Assert.Equal(StunMessageType.BindingMethod, m.Method);
        Assert.Equal(Rfc5769Vectors.TransactionId, m.TransactionId.ToArray());
        Assert.Equal("evtj:h6vY", Encoding.UTF8.GetString(m.Username));
        Assert.Equal(0x6e0001ffu, m.Priority);
        Assert.True(m.HasIceControlled);
        Assert.Equal(0x932ff9b151263b36ul, m.IceControlled);
        Assert.False(m.HasIceControlling);
        Assert.False(m.UseCandidate);
        Assert.True(m.TryGetAttribute((ushort)StunAttributeType.Software, out var software));
        Assert.Equal("STUN test client", Encoding.UTF8.GetString(software));
        Assert.True(m.HasFingerprint);
        Assert.True(m.VerifyMessageIntegrity(Key));
        Assert.False(m.VerifyMessageIntegrity("VOkJxbRl1RmTxUk/WvJxBT"u8));
        Assert.Equal(0, m.UnknownRequiredCount);
    }

    [Fact]
    public void Sample_request_2_1_is_written_byte_exact()
    {
        var buffer = new byte[256];
        var w = new StunWriter(buffer, StunMessageType.BindingRequest, Rfc5769Vectors.TransactionId)
        {
            PaddingByte = 0x20, // the RFC pads USERNAME with spaces
        };
        Assert.True(w.TryAddSoftware("STUN test client"u8));
        Assert.True(w.TryAddPriority(0x6e0001ff));
        Assert.True(w.TryAddIceControlled(0x932ff9b151263b36));
        Assert.True(w.TryAddUsername("evtj:h6vY"u8));
        Assert.True(w.TryAddMessageIntegrity(Key));
        Assert.True(w.TryAddFingerprint());
        Assert.Equal(Convert.ToHexString(Rfc5769Vectors.SampleRequest), Convert.ToHexString(w.Written));
    }

    [Fact]
    public void Sample_IPv4_response_2_2_parses_and_verifies()
    {
        Assert.Equal(StunParseError.None, StunMessage.TryParse(Rfc5769Vectors.SampleIPv4Response, out var m));
        Assert.Equal(StunClass.SuccessResponse, m.Class);
        Assert.True(m.TryGetXorMappedAddress(out var endPoint));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853), endPoint);
        Assert.True(m.VerifyMessageIntegrity(Key));
        Assert.True(m.HasFingerprint);
    }

    [Fact]
    public void Sample_IPv4_response_2_2_is_written_byte_exact()
    {
        var written = WriteResponse(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853));
        Assert.Equal(Convert.ToHexString(Rfc5769Vectors.SampleIPv4Response), written);
    }

    [Fact]
    public void Sample_IPv6_response_2_3_parses_and_verifies()
    {
        Assert.Equal(StunParseError.None, StunMessage.TryParse(Rfc5769Vectors.SampleIPv6Response, out var m));
        Assert.True(m.TryGetXorMappedAddress(out var endPoint));
        Assert.Equal(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853), endPoint);
        Assert.True(m.VerifyMessageIntegrity(Key));
    }

    [Fact]
    public void Sample_IPv6_response_2_3_is_written_byte_exact()
    {
        var written = WriteResponse(new IPEndPoint(IPAddress.Parse("2001:db8:1234:5678:11:2233:4455:6677"), 32853));
        Assert.Equal(Convert.ToHexString(Rfc5769Vectors.SampleIPv6Response), written);
    }

    [Fact]
    public void Sample_long_term_request_2_4_parses_and_verifies_with_the_MD5_key()
    {
        Assert.Equal(StunParseError.None, StunMessage.TryParse(Rfc5769Vectors.SampleLongTermRequest, out var m));
        Assert.Equal("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9", Encoding.UTF8.GetString(m.Username));
        Assert.True(m.TryGetAttribute((ushort)StunAttributeType.Nonce, out var nonce));
        Assert.Equal("f//499k954d6OL34oL9FSTvy64sA", Encoding.UTF8.GetString(nonce));
        Assert.True(m.TryGetAttribute((ushort)StunAttributeType.Realm, out var realm));
        Assert.Equal("example.org", Encoding.UTF8.GetString(realm));
        Assert.False(m.HasFingerprint);
        Assert.Equal(0, m.UnknownRequiredCount); // REALM and NONCE are comprehension-required but known

        // RFC 8489 §9.2.2: key = MD5(username ":" realm ":" SASLprep(password)).
#pragma warning disable CA5351 // the RFC defines the long-term key with MD5
        var key = MD5.HashData(Encoding.UTF8.GetBytes("\u30DE\u30C8\u30EA\u30C3\u30AF\u30B9:example.org:TheMatrIX"));
#pragma warning restore CA5351
        Assert.True(m.VerifyMessageIntegrity(key));
        Assert.False(m.VerifyMessageIntegrity(Key));
    }

    private static string WriteResponse(IPEndPoint mapped)
    {
        var buffer = new byte[256];
        var w = new StunWriter(buffer, StunMessageType.BindingSuccessResponse, Rfc5769Vectors.TransactionId)
        {
            PaddingByte = 0x20,
        };
        Assert.True(w.TryAddSoftware("test vector"u8));
        Assert.True(w.TryAddXorMappedAddress(mapped));
        Assert.True(w.TryAddMessageIntegrity(Key));
        Assert.True(w.TryAddFingerprint());
        return Convert.ToHexString(w.Written);
    }
}
