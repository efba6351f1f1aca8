namespace Telephony.Pbx.Media.Codecs;

/// <summary>
/// Reads and validates the framing of an Opus packet without decoding it: the TOC byte (RFC 6716 §3.1), the four
/// frame packings (§3.2) and the requirements [R1]–[R7] a receiver must check (§3.4), plus the SILK header's LBRR
/// flag (§4.2.3) read with a few steps of the range decoder (§4.1.1–§4.1.3.2). Allocation-free and never throws:
/// a packet from the network that fails here is dropped and counted.
/// </summary>
public static class OpusPacket
{
    /// <summary>Largest frame in bytes ([R2]).</summary>
    public const int MaxFrameBytes = 1275;

    /// <summary>Longest packet in samples at 48 kHz (120 ms, [R5]).</summary>
    public const int MaxPacketSamples = 5760;

    /// <summary>Validates <paramref name="packet"/> and describes it; <see cref="OpusPacketError.None"/> when valid.</summary>
    public static OpusPacketError TryParse(ReadOnlySpan<byte> packet, out OpusPacketInfo info)
    {
        info = default;
        if (packet.IsEmpty)
        {
            return OpusPacketError.Empty;
        }

        var toc = packet[0];
        var configuration = toc >> 3;
        var samplesPerFrame = SamplesPerFrame(configuration);
        int frames;
        int firstOffset;
        int firstLength;
        switch (toc & 0x3)
        {
            case 0: // one frame, the rest of the packet (§3.2.2)
                frames = 1;
                firstOffset = 1;
                firstLength = packet.Length - 1;
                break;
            case 1: // two frames of equal size (§3.2.3)
                if ((packet.Length - 1) % 2 != 0)
                {
                    return OpusPacketError.Code1OddLength;
                }

                frames = 2;
                firstOffset = 1;
                firstLength = (packet.Length - 1) / 2;
                break;
            case 2: // two frames, the first one's length coded (§3.2.4)
            {
                if (!TryReadFrameLength(packet[1..], out firstLength, out var used) || firstLength > packet.Length - 1 - used)
                {
                    return OpusPacketError.Code2BadLength;
                }

                frames = 2;
                firstOffset = 1 + used;
                if (packet.Length - firstOffset - firstLength > MaxFrameBytes)
                {
                    return OpusPacketError.FrameTooLong;
                }

                break;
            }

            default:
            {
                var error = ParseCode3(packet, samplesPerFrame, out frames, out firstOffset, out firstLength);
                if (error != OpusPacketError.None)
                {
                    return error;
                }

                break;
            }
        }

        if (firstLength > MaxFrameBytes)
        {
            return OpusPacketError.FrameTooLong;
        }

        var mode = configuration < 12 ? OpusCodingMode.Silk : configuration < 16 ? OpusCodingMode.Hybrid : OpusCodingMode.Celt;
        var stereo = (toc & 0x4) != 0;
        info = new OpusPacketInfo
        {
            Configuration = configuration,
            Mode = mode,
            Bandwidth = BandwidthOf(configuration),
            IsStereo = stereo,
            FrameCount = frames,
            SamplesPerFrame = samplesPerFrame,
            FirstFrameOffset = firstOffset,
            FirstFrameLength = firstLength,
            HasLbrr = mode != OpusCodingMode.Celt
                && ReadLbrrFlag(packet.Slice(firstOffset, firstLength), SilkFramesPerOpusFrame(samplesPerFrame), stereo ? 2 : 1),
        };
        return OpusPacketError.None;
    }

    /// <summary>Code 3: a frame-count byte, optional padding, CBR or VBR frame lengths (§3.2.5).</summary>
    private static OpusPacketError ParseCode3(
        ReadOnlySpan<byte> packet, int samplesPerFrame, out int frames, out int firstOffset, out int firstLength)
    {
        frames = 0;
        firstOffset = 0;
        firstLength = 0;
        if (packet.Length < 2)
        {
            return OpusPacketError.Code3BadFrameCount;
        }

        var vbr = (packet[1] & 0x80) != 0;
        var padded = (packet[1] & 0x40) != 0;
        frames = packet[1] & 0x3F;
        if (frames == 0 || frames * samplesPerFrame > MaxPacketSamples)
        {
            return OpusPacketError.Code3BadFrameCount;
        }

        var lengthError = vbr ? OpusPacketError.Code3BadVbrLength : OpusPacketError.Code3BadCbrLength;
        var offset = 2;
        var padding = 0;
        while (padded)
        {
            if (offset >= packet.Length)
            {
                return lengthError;
            }

            var b = packet[offset++];
            padding += b == 255 ? 254 : b; // 255: 254 bytes of padding and another length byte follows
            padded = b == 255;
        }

        var end = packet.Length - padding; // frame data ends where the trailing padding starts
        if (end < offset)
        {
            return lengthError;
        }

        if (!vbr)
        {
            if ((end - offset) % frames != 0)
            {
                return OpusPacketError.Code3BadCbrLength;
            }

            firstOffset = offset;
            firstLength = (end - offset) / frames;
            return OpusPacketError.None;
        }

        var coded = 0;
        for (var i = 0; i < frames - 1; i++)
        {
            if (!TryReadFrameLength(packet[offset..end], out var length, out var used))
            {
                return OpusPacketError.Code3BadVbrLength;
            }

            offset += used;
            coded += length;
            if (i == 0)
            {
                firstLength = length;
            }
        }

        var last = end - offset - coded;
        if (last < 0)
        {
            return OpusPacketError.Code3BadVbrLength;
        }

        if (last > MaxFrameBytes)
        {
            return OpusPacketError.FrameTooLong;
        }

        firstOffset = offset;
        if (frames == 1)
        {
            firstLength = last;
        }

        return OpusPacketError.None;
    }

    /// <summary>One- or two-byte frame length (§3.2.1): 0–251 as is, 252–255 plus 4 × the next byte.</summary>
    private static bool TryReadFrameLength(ReadOnlySpan<byte> data, out int length, out int used)
    {
        length = 0;
        used = 0;
        if (data.IsEmpty)
        {
            return false;
        }

        if (data[0] < 252)
        {
            length = data[0];
            used = 1;
            return true;
        }

        if (data.Length < 2)
        {
            return false;
        }

        length = data[0] + (4 * data[1]);
        used = 2;
        return true;
    }

    /// <summary>Frame duration in samples at 48 kHz for a TOC configuration (§3.1, Table 2).</summary>
    private static int SamplesPerFrame(int configuration) => configuration switch
    {
        < 12 => (configuration & 3) switch { 0 => 480, 1 => 960, 2 => 1920, _ => 2880 },
        < 16 => (configuration & 1) == 0 ? 480 : 960,
        _ => 120 << (configuration & 3),
    };

    private static OpusAudioBandwidth BandwidthOf(int configuration) => configuration switch
    {
        < 4 => OpusAudioBandwidth.Narrowband,
        < 8 => OpusAudioBandwidth.Mediumband,
        < 12 => OpusAudioBandwidth.Wideband,
        < 14 => OpusAudioBandwidth.SuperWideband,
        < 16 => OpusAudioBandwidth.Fullband,
        < 20 => OpusAudioBandwidth.Narrowband,
        < 24 => OpusAudioBandwidth.Wideband,
        < 28 => OpusAudioBandwidth.SuperWideband,
        _ => OpusAudioBandwidth.Fullband,
    };

    /// <summary>SILK codes 10 or 20 ms frames: a 40 or 60 ms Opus frame holds 2 or 3 of them (§4.2.2).</summary>
    private static int SilkFramesPerOpusFrame(int samplesPerFrame) => Math.Max(1, samplesPerFrame / 960);

    /// <summary>
    /// The SILK layer opens with, per channel (mid first, then side), one VAD flag per SILK frame and then the LBRR
    /// flag, each a binary symbol of probability ½ (§4.2.3). Returns whether any channel's LBRR flag is set.
    /// </summary>
    private static bool ReadLbrrFlag(ReadOnlySpan<byte> frame, int silkFrames, int channels)
    {
        if (frame.IsEmpty)
        {
            return false;
        }

        var decoder = new RangeDecoder(frame);
        var lbrr = false;
        for (var channel = 0; channel < channels; channel++)
        {
            for (var i = 0; i < silkFrames; i++)
            {
                decoder.DecodeBitLogp1(); // VAD flag
            }

            lbrr |= decoder.DecodeBitLogp1();
        }

        return lbrr;
    }

    /// <summary>The first steps of the RFC 6716 §4.1 range decoder: initialisation, renormalisation, ec_dec_bit_logp(1).</summary>
    private ref struct RangeDecoder
    {
        private readonly ReadOnlySpan<byte> _data;
        private int _offset;
        private uint _rng;
        private uint _val;
        private int _rem;

        public RangeDecoder(ReadOnlySpan<byte> data)
        {
            _data = data;
            _rem = NextByte();
            _rng = 128;
            _val = (uint)(127 - (_rem >> 1));
            Normalize();
        }

        /// <summary>Decodes one symbol whose "1" has probability ½ (§4.1.3.2).</summary>
        public bool DecodeBitLogp1()
        {
            var s = _rng >> 1;
            var one = _val < s;
            if (one)
            {
                _rng = s;
            }
            else
            {
                _val -= s;
                _rng -= s;
            }

            Normalize();
            return one;
        }

        private int NextByte() => _offset < _data.Length ? _data[_offset++] : 0;

        /// <summary>Keeps rng above 2^23, shifting in 8 bits at a time (§4.1.2.1).</summary>
        private void Normalize()
        {
            while (_rng <= 1u << 23)
            {
                _rng <<= 8;
                var previous = _rem;
                _rem = NextByte();
                var symbol = ((previous << 8) | _rem) >> 1;
                _val = ((_val << 8) + (uint)(255 - (symbol & 0xFF))) & 0x7FFFFFFF;
            }
        }
    }
}
