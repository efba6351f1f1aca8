using System.Buffers.Binary;
using Telephony.Pbx.Contracts.Codecs;

namespace Telephony.Pbx.Tests.Contracts.Codecs;

public class G711Tests
{
    private static short[] LoadVector(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Vectors", "g711", name));
        Assert.Equal(512, bytes.Length);
        var values = new short[256];
        for (var i = 0; i < 256; i++)
        {
            values[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(i * 2));
        }

        return values;
    }

    // Reference encoders written in the shape of ITU-T G.191 (STL) ulaw_compress / alaw_compress,
    // independent of the segment-search code that builds the production tables.
    private static byte ReferenceMuLaw(short x)
    {
        var absno = x < 0 ? (~x >> 2) + 33 : (x >> 2) + 33;
        if (absno > 0x1FFF)
        {
            absno = 0x1FFF;
        }

        var i = absno >> 6;
        var segno = 1;
        while (i != 0)
        {
            segno++;
            i >>= 1;
        }

        var high = 0x8 - segno;
        var low = 0xF - ((absno >> segno) & 0xF);
        var output = (high << 4) | low;
        if (x >= 0)
        {
            output |= 0x80;
        }

        return (byte)output;
    }

    private static byte ReferenceALaw(short x)
    {
        var ix = x < 0 ? ~x >> 4 : x >> 4;
        if (ix > 15)
        {
            var exponent = 1;
            while (ix > 16 + 15)
            {
                ix >>= 1;
                exponent++;
            }

            ix -= 16;
            ix += exponent << 4;
        }

        if (x >= 0)
        {
            ix |= 0x80;
        }

        return (byte)(ix ^ 0x55);
    }

    [Fact]
    public void MuLaw_all_256_code_words_decode_to_the_ITU_values()
    {
        var expected = LoadVector("pcmu-decode-256.s16le");
        for (var code = 0; code < 256; code++)
        {
            Assert.Equal(expected[code], MuLaw.Decode((byte)code));
        }
    }

    [Fact]
    public void ALaw_all_256_code_words_decode_to_the_ITU_values()
    {
        var expected = LoadVector("pcma-decode-256.s16le");
        for (var code = 0; code < 256; code++)
        {
            Assert.Equal(expected[code], ALaw.Decode((byte)code));
        }
    }

    [Fact]
    public void MuLaw_all_65536_linear_values_encode_per_G191()
    {
        for (int v = short.MinValue; v <= short.MaxValue; v++)
        {
            Assert.Equal(ReferenceMuLaw((short)v), MuLaw.Encode((short)v));
        }
    }

    [Fact]
    public void ALaw_all_65536_linear_values_encode_per_G191()
    {
        for (int v = short.MinValue; v <= short.MaxValue; v++)
        {
            Assert.Equal(ReferenceALaw((short)v), ALaw.Encode((short)v));
        }
    }

    [Theory]
    [InlineData(0, 0xFF)]
    [InlineData(-1, 0x7F)]
    [InlineData(32767, 0x80)]
    [InlineData(-32768, 0x00)]
    public void MuLaw_known_points(short sample, byte code) => Assert.Equal(code, MuLaw.Encode(sample));

    [Theory]
    [InlineData(0, 0xD5)]
    [InlineData(-1, 0x55)]
    [InlineData(32767, 0xAA)]
    [InlineData(-32768, 0x2A)]
    public void ALaw_known_points(short sample, byte code) => Assert.Equal(code, ALaw.Encode(sample));

    [Fact]
    public void Span_versions_agree_with_scalar_versions_on_a_20ms_frame()
    {
        var pcm = new short[160];
        for (var i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)(Math.Sin(i * 0.3) * 20000);
        }

        var mu = new byte[160];
        var a = new byte[160];
        MuLaw.Encode(pcm, mu);
        ALaw.Encode(pcm, a);
        var muBack = new short[160];
        var aBack = new short[160];
        MuLaw.Decode(mu, muBack);
        ALaw.Decode(a, aBack);
        for (var i = 0; i < pcm.Length; i++)
        {
            Assert.Equal(MuLaw.Encode(pcm[i]), mu[i]);
            Assert.Equal(ALaw.Encode(pcm[i]), a[i]);
            Assert.Equal(MuLaw.Decode(mu[i]), muBack[i]);
            Assert.Equal(ALaw.Decode(a[i]), aBack[i]);
            Assert.InRange(Math.Abs(muBack[i] - pcm[i]), 0, 1100);
            Assert.InRange(Math.Abs(aBack[i] - pcm[i]), 0, 1100);
        }
    }
}
