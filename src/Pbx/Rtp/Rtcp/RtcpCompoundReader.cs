namespace Telephony.Pbx.Rtp.Rtcp;

/// <summary>
/// Walks the packets of an RTCP compound packet (RFC 3550 §6.1) without copying. The header-validity checks of §A.2
/// are applied: version 2 on every packet, the first packet an SR or RR, padding only on the last, lengths adding
/// up to the datagram. Never throws; <see cref="IsValid"/> turns false on the first violation.
/// </summary>
public ref struct RtcpCompoundReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _offset;
    private bool _first;

    public RtcpCompoundReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _offset = 0;
        _first = true;
        IsValid = data.Length >= RtcpHeader.Size && data.Length % 4 == 0;
    }

    /// <summary>False once a malformed packet was met; reading stops there.</summary>
    public bool IsValid { get; private set; }

    /// <summary>Reads the next packet of the compound, header included.</summary>
    public bool TryReadNext(out RtcpHeader header, out ReadOnlySpan<byte> packet)
    {
        header = default;
        packet = default;
        if (!IsValid || _offset >= _data.Length)
        {
            return false;
        }

        var rest = _data[_offset..];
        if (!RtcpHeader.TryRead(rest, out header)
            || (_first && header.PacketType is not (RtcpPacketType.SenderReport or RtcpPacketType.ReceiverReport))
            || (header.Padding && header.PacketLengthBytes != rest.Length))
        {
            IsValid = false;
            return false;
        }

        _first = false;
        packet = rest[..header.PacketLengthBytes];
        _offset += header.PacketLengthBytes;
        return true;
    }
}
