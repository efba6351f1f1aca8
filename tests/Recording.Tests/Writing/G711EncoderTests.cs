using Telephony.Recording.Writing;

namespace Telephony.Recording.Tests.Writing;

public class G711EncoderTests
{
    [Fact]
    public void MuLaw_every_code_word_reencodes_to_itself()
    {
        short[] table = TestFiles.DecodeTable("pcmu-decode-256.s16le");
        for (int code = 0; code < 256; code++)
        {
            if (code == 0x7F)
            {
                continue; // negative zero decodes to 0, which encodes as positive zero 0xFF
            }

            Assert.Equal((byte)code, G711Encoder.EncodeMuLaw(table[code]));
        }
    }

    [Fact]
    public void ALaw_every_code_word_reencodes_to_itself()
    {
        short[] table = TestFiles.DecodeTable("pcma-decode-256.s16le");
        for (int code = 0; code < 256; code++)
        {
            Assert.Equal((byte)code, G711Encoder.EncodeALaw(table[code]));
        }
    }

    [Theory]
    [InlineData(0, 0xFF, 0xD5)]
    [InlineData(-1, 0x7F, 0x55)]
    [InlineData(short.MaxValue, 0x80, 0xAA)]
    [InlineData(short.MinValue, 0x00, 0x2A)]
    public void Silence_and_clipping_edges(short sample, int muLaw, int aLaw)
    {
        Assert.Equal((byte)muLaw, G711Encoder.EncodeMuLaw(sample));
        Assert.Equal((byte)aLaw, G711Encoder.EncodeALaw(sample));
    }

    [Fact]
    public void Every_linear_sample_encodes_to_the_nearest_level_below_or_at_it()
    {
        short[] mu = TestFiles.DecodeTable("pcmu-decode-256.s16le");
        short[] a = TestFiles.DecodeTable("pcma-decode-256.s16le");
        int previousMu = int.MinValue;
        int previousA = int.MinValue;
        for (int s = short.MinValue; s <= short.MaxValue; s++)
        {
            int decodedMu = mu[G711Encoder.EncodeMuLaw((short)s)];
            int decodedA = a[G711Encoder.EncodeALaw((short)s)];
            Assert.True(decodedMu >= previousMu, $"mu-law not monotonic at {s}");
            Assert.True(decodedA >= previousA, $"A-law not monotonic at {s}");
            Assert.True(Math.Abs(decodedMu - s) <= 1024, $"mu-law error too large at {s}");
            Assert.True(Math.Abs(decodedA - s) <= 1024, $"A-law error too large at {s}");
            previousMu = decodedMu;
            previousA = decodedA;
        }
    }
}
