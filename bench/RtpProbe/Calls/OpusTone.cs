using Telephony.Pbx.Media.Codecs;

namespace Telephony.RtpProbe.Calls;

/// <summary>
/// What every WebRTC probe call talks: 2 s of a <see cref="ToneHz"/> tone encoded once with our Opus encoder
/// (RFC 7587, 20 ms, 48 kHz mono) and replayed packet by packet, so 200 talking calls cost the client no encoding.
/// 1 kHz has a whole number of periods per 20 ms frame, so the loop has no phase jump.
/// </summary>
internal static class OpusTone
{
    public const int ToneHz = 1000;
    public const int FrameSamples = OpusFrameEncoder.FrameSamples;
    private const int Frames = 100;

    public static IReadOnlyList<byte[]> Packets { get; } = Encode();

    private static byte[][] Encode()
    {
        using var encoder = new OpusFrameEncoder();
        var pcm = new short[FrameSamples];
        var packet = new byte[OpusFrameEncoder.MaxPacketBytes];
        var packets = new byte[Frames][];
        for (var f = 0; f < Frames; f++)
        {
            for (var i = 0; i < FrameSamples; i++)
            {
                pcm[i] = (short)(8000 * Math.Sin(2 * Math.PI * ToneHz * (f * FrameSamples + i) / 48_000.0));
            }
            if (!encoder.TryEncode(pcm, packet, out var length))
            {
                throw new InvalidOperationException("Opus encoder refused a 20 ms frame");
            }
            packets[f] = packet[..length];
        }
        return packets;
    }
}
