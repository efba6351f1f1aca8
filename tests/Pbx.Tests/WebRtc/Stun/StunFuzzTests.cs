using System.Buffers.Binary;
using FsCheck.Xunit;
using Telephony.Pbx.WebRtc.Stun;

namespace Telephony.Pbx.Tests.WebRtc.Stun;

/// <summary>
/// Robustness: mutated RFC 5769 vectors and arbitrary bytes only ever yield a declared <see cref="StunParseError"/>
/// (never an exception), every accessor is safe on what parses, and what parses rebuilds to an equal message.
/// </summary>
public sealed class StunFuzzTests
{
    private static readonly byte[][] Seeds =
    [
        Rfc5769Vectors.SampleRequest, Rfc5769Vectors.SampleIPv4Response, Rfc5769Vectors.SampleIPv6Response,
        Rfc5769Vectors.SampleLongTermRequest,
    ];

    [Fact]
    public void Seeded_mutations_only_yield_declared_errors()
    {
        var random = new Random(5769);
        var parsed = 0;
        for (var i = 0; i < 50_000; i++)
        {
            var datagram = Mutate(random, Seeds[random.Next(Seeds.Length)]);
            if (Check(datagram))
            {
                parsed++;
            }
        }

        Assert.True(parsed > 100, $"only {parsed} mutations parsed: the mutator is too destructive to test accessors");
    }

    [Property(MaxTest = 2000)]
    public bool Arbitrary_bytes_only_yield_declared_errors(byte[] datagram)
    {
        Check(datagram ?? []);
        return true;
    }

    [Property(MaxTest = 2000)]
    public bool Arbitrary_attributes_behind_a_valid_header_only_yield_declared_errors(byte[] body, byte type)
    {
        body ??= [];
        var length = body.Length & ~3;
        var datagram = new byte[20 + length];
        BinaryPrimitives.WriteUInt16BigEndian(datagram, (ushort)(type & 0x3F));
        BinaryPrimitives.WriteUInt16BigEndian(datagram.AsSpan(2), (ushort)length);
        BinaryPrimitives.WriteUInt32BigEndian(datagram.AsSpan(4), StunMessage.MagicCookie);
        body.AsSpan(0, length).CopyTo(datagram.AsSpan(20));
        Check(datagram);
        return true;
    }

    /// <summary>Parses, exercises every accessor, and checks the rebuild contract. Returns whether it parsed.</summary>
    private static bool Check(byte[] datagram)
    {
        var error = StunMessage.TryParse(datagram, out var m);
        Assert.True(Enum.IsDefined(error), $"undeclared error {error}");
        if (error != StunParseError.None)
        {
            return false;
        }

        Span<byte> address = stackalloc byte[16];
        Span<ushort> unknown = stackalloc ushort[16];
        _ = (ulong)m.Username.Length + m.Priority + m.IceControlled + m.IceControlling + (ulong)m.ErrorCode
            + (ulong)m.ErrorReason.Length + (ulong)m.CopyUnknownRequired(unknown);
        _ = m.TryGetXorMappedAddress(address, out _, out _);
        _ = m.VerifyMessageIntegrity("key"u8) | m.VerifyMessageIntegritySha256("key"u8);
        _ = m.TryGetAttribute((ushort)StunAttributeType.Software, out _);
        if (!m.HasFingerprint)
        {
            AssertRebuildsEqual(m);
        }

        return true;
    }

    /// <summary>Copying every attribute with zero padding gives a message that parses to the same values.</summary>
    private static void AssertRebuildsEqual(StunMessage m)
    {
        var buffer = new byte[m.Data.Length];
        var w = new StunWriter(buffer, m.MessageType, m.TransactionId);
        var data = m.Data;
        for (var offset = 20; offset < data.Length;)
        {
            var type = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
            Assert.True(w.TryAdd(type, data.Slice(offset + 4, length)));
            offset += 4 + ((length + 3) & ~3);
        }

        Assert.Equal(StunParseError.None, StunMessage.TryParse(w.Written, out var again));
        Assert.Equal(m.MessageType, again.MessageType);
        Assert.True(m.Username.SequenceEqual(again.Username));
        Assert.Equal(m.Priority, again.Priority);
        Assert.Equal(m.UseCandidate, again.UseCandidate);
        Assert.Equal(m.IceControlling, again.IceControlling);
        Assert.Equal(m.IceControlled, again.IceControlled);
        Assert.Equal(m.ErrorCode, again.ErrorCode);
        Assert.Equal(m.UnknownRequiredCount, again.UnknownRequiredCount);
        Assert.Equal(m.HasMessageIntegrity, again.HasMessageIntegrity);
    }

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var data = (byte[])seed.Clone();
        switch (random.Next(6))
        {
            case 0: // flip bits after the fixed header part that keeps it STUN-shaped
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    data[random.Next(20, data.Length)] ^= (byte)(1 << random.Next(8));
                }

                break;
            case 1: // any byte anywhere
                data[random.Next(data.Length)] = (byte)random.Next(256);
                break;
            case 2: // truncate
                return data[..random.Next(data.Length)];
            case 3: // random attribute length field
                var offset = 20 + (4 * random.Next((data.Length - 20) / 4));
                BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(offset + 2), (ushort)random.Next(0, 80));
                break;
            case 4: // random message length
                BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(2), (ushort)(4 * random.Next(0, 40)));
                break;
            default: // drop the trailing FINGERPRINT (then integrity-only rules and the rebuild are exercised)
                var cut = data.Length - 8;
                var shorter = data[..cut];
                BinaryPrimitives.WriteUInt16BigEndian(shorter.AsSpan(2), (ushort)(cut - 20));
                return shorter;
        }

        return data;
    }
}
