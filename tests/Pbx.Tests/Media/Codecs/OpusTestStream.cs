using Telephony.Pbx.Media.Codecs;

namespace Telephony.Pbx.Tests.Media.Codecs;

/// <summary>Encodes test signals into packets and decodes packet lists, for the Opus tests.</summary>
internal static class OpusTestStream
{
    public const int Frame = OpusFrameEncoder.FrameSamples;

    /// <summary>Implementations to run each test on: whatever the factory gives (libopus if present), then the managed port.</summary>
    public static TheoryData<bool> Implementations => new() { false, true };

    public static List<byte[]> Encode(OpusFrameEncoder encoder, short[] signal, int frame = Frame)
    {
        var packets = new List<byte[]>();
        var buffer = new byte[OpusFrameEncoder.MaxPacketBytes];
        for (var offset = 0; offset + (frame * encoder.Channels) <= signal.Length; offset += frame * encoder.Channels)
        {
            Assert.True(encoder.TryEncode(signal.AsSpan(offset, frame * encoder.Channels), buffer, out var length));
            packets.Add(buffer[..length]);
        }

        return packets;
    }

    public static short[] Decode(OpusFrameDecoder decoder, IEnumerable<byte[]> packets)
    {
        var output = new List<short>();
        var pcm = new short[OpusFrameDecoder.MaxPacketSamples];
        foreach (var packet in packets)
        {
            Assert.Equal(OpusDecodeResult.Decoded, decoder.Decode(packet, pcm, out var samples));
            output.AddRange(pcm.AsSpan(0, samples));
        }

        return [.. output];
    }

    /// <summary>A tone whose frequency switches from <paramref name="firstHz"/> to <paramref name="secondHz"/> at sample <paramref name="switchAt"/>.</summary>
    public static short[] Switching(double firstHz, double secondHz, int switchAt, int length, double amplitude = 8000)
    {
        var samples = new short[length];
        var phase = 0.0;
        for (var i = 0; i < length; i++)
        {
            samples[i] = (short)Math.Round(amplitude * Math.Sin(phase));
            phase += 2 * Math.PI * (i < switchAt ? firstHz : secondHz) / 48000;
        }

        return samples;
    }
}
