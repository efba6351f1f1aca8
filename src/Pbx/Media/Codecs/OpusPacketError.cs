namespace Telephony.Pbx.Media.Codecs;

/// <summary>
/// Why <see cref="OpusPacket.TryParse"/> refused a packet: the requirements of RFC 6716 §3.4, which a receiver must
/// check before decoding ("a receiver MUST NOT process packets that violate any of the rules above as normal Opus
/// packets").
/// </summary>
public enum OpusPacketError
{
    None,
    /// <summary>[R1] Packets are at least one byte.</summary>
    Empty,
    /// <summary>[R2] No implicit frame length is larger than 1275 bytes.</summary>
    FrameTooLong,
    /// <summary>[R3] Code 1 packets have an odd total length, so (N − 1) / 2 is an integer.</summary>
    Code1OddLength,
    /// <summary>[R4] Code 2 packets have a valid first frame length no larger than the bytes remaining.</summary>
    Code2BadLength,
    /// <summary>[R5] Code 3 packets contain at least one frame but no more than 120 ms of audio.</summary>
    Code3BadFrameCount,
    /// <summary>[R6] A CBR code 3 packet's length after headers and padding is a multiple of the frame count.</summary>
    Code3BadCbrLength,
    /// <summary>[R7] A VBR code 3 packet holds its headers, the first M − 1 frame lengths' bytes and the padding.</summary>
    Code3BadVbrLength,
}
