namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>What <see cref="PcapBuilder"/> puts in a pcap: audio, RFC 4733 digits, trailing silence.</summary>
public sealed record PcapStream
{
    /// <summary>8 kHz mono PCM16 audio sent first as PCMU.</summary>
    public required short[] Audio { get; init; }

    /// <summary>DTMF digits sent after the audio as RFC 4733 events ("" for none).</summary>
    public string Digits { get; init; } = string.Empty;

    /// <summary>Length of each digit (before the two extra end packets).</summary>
    public int DigitMs { get; init; } = 100;

    /// <summary>PCMU silence after each digit.</summary>
    public int GapMs { get; init; } = 100;

    /// <summary>PCMU silence at the end.</summary>
    public int TrailingSilenceMs { get; init; } = 500;

    /// <summary>telephone-event payload type.</summary>
    public byte DtmfPayloadType { get; init; } = 101;

    /// <summary>RFC 4733 volume field (0..63, -dBm0).</summary>
    public byte DigitVolume { get; init; } = 10;

    /// <summary>SSRC of the stream.</summary>
    public uint Ssrc { get; init; } = 0x5EED1234;

    /// <summary>First RTP sequence number.</summary>
    public ushort FirstSequence { get; init; } = 1000;

    /// <summary>First RTP timestamp.</summary>
    public uint FirstTimestamp { get; init; } = 160_000;

    /// <summary>IPv4 source written in the pcap (SIPp ignores it).</summary>
    public byte[] SourceAddress { get; init; } = [127, 0, 0, 1];

    /// <summary>IPv4 destination written in the pcap (SIPp ignores it).</summary>
    public byte[] DestinationAddress { get; init; } = [127, 0, 0, 1];

    /// <summary>UDP source port written in the pcap (SIPp uses the SDP's media port).</summary>
    public ushort SourcePort { get; init; } = 40000;

    /// <summary>UDP destination port written in the pcap (SIPp uses the peer's SDP port).</summary>
    public ushort DestinationPort { get; init; } = 40002;
}
