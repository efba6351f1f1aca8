using System.Buffers.Binary;

namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>
/// Writes a libpcap file (Ethernet link type) holding one RTP stream for SIPp's <c>play_pcap_audio</c>:
/// PCMU audio (RFC 3551, payload type 0, 20 ms packets) from a WAV, then RFC 4733 telephone-events
/// (start with marker, continuations with growing duration, the end packet sent three times), then
/// PCMU silence. One SSRC throughout; SIPp replaces the addresses and ports and keeps the timing.
/// </summary>
public static class PcapBuilder
{
    /// <summary>Samples per 20 ms packet at 8 kHz.</summary>
    public const int SamplesPerPacket = 160;

    private const int EthernetHeader = 14;
    private const int Ipv4Header = 20;
    private const int UdpHeader = 8;
    private const int RtpHeader = 12;

    /// <summary>Builds the pcap at <paramref name="path"/> and says what it holds.</summary>
    public static PcapSummary Write(string path, PcapStream stream)
    {
        var packets = new List<(long TimeUs, byte[] Rtp)>();
        ushort seq = stream.FirstSequence;
        uint ts = stream.FirstTimestamp;
        long timeUs = 0;
        int audio = 0, events = 0, silence = 0;

        void Add(byte pt, bool marker, uint timestamp, ReadOnlySpan<byte> payload)
        {
            byte[] rtp = new byte[RtpHeader + payload.Length];
            rtp[0] = 0x80;
            rtp[1] = (byte)((marker ? 0x80 : 0) | pt);
            BinaryPrimitives.WriteUInt16BigEndian(rtp.AsSpan(2), seq++);
            BinaryPrimitives.WriteUInt32BigEndian(rtp.AsSpan(4), timestamp);
            BinaryPrimitives.WriteUInt32BigEndian(rtp.AsSpan(8), stream.Ssrc);
            payload.CopyTo(rtp.AsSpan(RtpHeader));
            packets.Add((timeUs, rtp));
        }

        // 1. audio
        short[] pcm = stream.Audio;
        byte[] frame = new byte[SamplesPerPacket];
        for (int start = 0; start < pcm.Length; start += SamplesPerPacket)
        {
            for (int i = 0; i < SamplesPerPacket; i++)
            {
                frame[i] = G711.MuLawEncode(start + i < pcm.Length ? pcm[start + i] : (short)0);
            }

            Add(0, audio == 0, ts, frame);
            audio++;
            ts += SamplesPerPacket;
            timeUs += 20_000;
        }

        // 2. RFC 4733 digits, each followed by a gap of PCMU silence
        byte[] ev = new byte[4];
        int updates = Math.Max(1, stream.DigitMs / 20);
        foreach (char digit in stream.Digits)
        {
            byte code = EventCode(digit);
            uint eventTs = ts;
            for (int i = 1; i <= updates + 2; i++)
            {
                bool end = i >= updates;
                ushort duration = (ushort)(Math.Min(i, updates) * SamplesPerPacket);
                ev[0] = code;
                ev[1] = (byte)((end ? 0x80 : 0) | (stream.DigitVolume & 0x3F));
                BinaryPrimitives.WriteUInt16BigEndian(ev.AsSpan(2), duration);
                Add(stream.DtmfPayloadType, i == 1, eventTs, ev);
                events++;
                timeUs += 20_000;
            }

            ts += (uint)((updates + 2) * SamplesPerPacket);
            silence += AddSilence(stream.GapMs);
        }

        // 3. trailing silence
        silence += AddSilence(stream.TrailingSilenceMs);

        int AddSilence(int ms)
        {
            int n = ms / 20;
            Array.Fill(frame, (byte)0xFF);
            for (int i = 0; i < n; i++)
            {
                Add(0, false, ts, frame);
                ts += SamplesPerPacket;
                timeUs += 20_000;
            }

            return n;
        }

        WriteFile(path, packets, stream);
        return new PcapSummary(path, audio, events, silence, packets.Count, timeUs / 1e6, stream.Digits);
    }

    /// <summary>RFC 4733 §3.2 event code of a DTMF digit (0-9, *, #, A-D).</summary>
    public static byte EventCode(char digit) => digit switch
    {
        >= '0' and <= '9' => (byte)(digit - '0'),
        '*' => 10,
        '#' => 11,
        >= 'A' and <= 'D' => (byte)(12 + digit - 'A'),
        >= 'a' and <= 'd' => (byte)(12 + digit - 'a'),
        _ => throw new ArgumentOutOfRangeException(nameof(digit), digit, "not a DTMF digit"),
    };

    /// <summary>The DTMF digit of an RFC 4733 event code, or '?' for other events.</summary>
    public static char DigitOf(int eventCode) => eventCode switch
    {
        <= 9 and >= 0 => (char)('0' + eventCode),
        10 => '*',
        11 => '#',
        >= 12 and <= 15 => (char)('A' + eventCode - 12),
        _ => '?',
    };

    private static void WriteFile(string path, List<(long TimeUs, byte[] Rtp)> packets, PcapStream s)
    {
        using var fs = File.Create(path);
        Span<byte> global = stackalloc byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(global, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(global[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(global[6..], 4);
        BinaryPrimitives.WriteUInt32LittleEndian(global[16..], 65535); // snaplen
        BinaryPrimitives.WriteUInt32LittleEndian(global[20..], 1); // LINKTYPE_ETHERNET
        fs.Write(global);

        const long epochUs = 1_700_000_000L * 1_000_000;
        ushort ipId = 1;
        foreach ((long timeUs, byte[] rtp) in packets)
        {
            int udpLength = UdpHeader + rtp.Length;
            int ipLength = Ipv4Header + udpLength;
            int frameLength = EthernetHeader + ipLength;
            byte[] rec = new byte[16 + frameLength];
            long t = epochUs + timeUs;
            BinaryPrimitives.WriteUInt32LittleEndian(rec, (uint)(t / 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(4), (uint)(t % 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(8), (uint)frameLength);
            BinaryPrimitives.WriteUInt32LittleEndian(rec.AsSpan(12), (uint)frameLength);

            Span<byte> eth = rec.AsSpan(16);
            eth[..6].Fill(0x02);
            eth[6..12].Fill(0x04);
            BinaryPrimitives.WriteUInt16BigEndian(eth[12..], 0x0800);

            Span<byte> ip = eth[EthernetHeader..];
            ip[0] = 0x45;
            BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)ipLength);
            BinaryPrimitives.WriteUInt16BigEndian(ip[4..], ipId++);
            ip[8] = 64; // TTL
            ip[9] = 17; // UDP
            s.SourceAddress.CopyTo(ip[12..]);
            s.DestinationAddress.CopyTo(ip[16..]);
            BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Ipv4Checksum(ip[..Ipv4Header]));

            Span<byte> udp = ip[Ipv4Header..];
            BinaryPrimitives.WriteUInt16BigEndian(udp, s.SourcePort);
            BinaryPrimitives.WriteUInt16BigEndian(udp[2..], s.DestinationPort);
            BinaryPrimitives.WriteUInt16BigEndian(udp[4..], (ushort)udpLength);
            // UDP checksum 0 = none (allowed over IPv4); SIPp rebuilds the datagram anyway.
            rtp.CopyTo(udp[UdpHeader..]);
            fs.Write(rec);
        }
    }

    private static ushort Ipv4Checksum(ReadOnlySpan<byte> header)
    {
        uint sum = 0;
        for (int i = 0; i < header.Length; i += 2)
        {
            sum += BinaryPrimitives.ReadUInt16BigEndian(header[i..]);
        }

        while (sum > 0xFFFF)
        {
            sum = (sum & 0xFFFF) + (sum >> 16);
        }

        return (ushort)~sum;
    }
}
