using System.Buffers.Binary;

namespace Telephony.Pbx.Media.Dtmf;

/// <summary>
/// RFC 4733 §2.3 telephone-event payload: event code, end bit, volume (-dBm0) and duration in timestamp units.
/// <code>
///  0                   1                   2                   3
/// |     event     |E|R| volume    |          duration             |
/// </code>
/// </summary>
public readonly record struct TelephoneEvent(byte Event, bool End, byte Volume, ushort Duration)
{
    public const int Size = 4;

    /// <summary>Reads the first 4 bytes of a payload; never throws. Extra bytes (redundancy) are ignored.</summary>
    public static bool TryRead(ReadOnlySpan<byte> payload, out TelephoneEvent value)
    {
        if (payload.Length < Size)
        {
            value = default;
            return false;
        }

        value = new TelephoneEvent(payload[0], (payload[1] & 0x80) != 0, (byte)(payload[1] & 0x3F),
            BinaryPrimitives.ReadUInt16BigEndian(payload[2..]));
        return true;
    }

    public bool TryWrite(Span<byte> destination, out int written)
    {
        written = 0;
        if (destination.Length < Size)
        {
            return false;
        }

        destination[0] = Event;
        destination[1] = (byte)((End ? 0x80 : 0) | (Volume & 0x3F));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Duration);
        written = Size;
        return true;
    }
}
