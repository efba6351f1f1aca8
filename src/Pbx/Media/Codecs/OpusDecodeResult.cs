namespace Telephony.Pbx.Media.Codecs;

/// <summary>Outcome of one <see cref="OpusFrameDecoder"/> call; every outcome but <see cref="BufferTooSmall"/> fills audio.</summary>
public enum OpusDecodeResult
{
    /// <summary>The packet was decoded (DTX and comfort-noise packets included).</summary>
    Decoded,
    /// <summary>The lost frame was rebuilt from the next packet's LBRR (in-band FEC) data (RFC 6716 §2.1.7).</summary>
    Recovered,
    /// <summary>The missing frame was concealed (packet loss concealment, extrapolated from the previous audio).</summary>
    Concealed,
    /// <summary>The packet broke RFC 6716 §3.4 or the decoder refused it; the frame was concealed instead. Count it.</summary>
    Invalid,
    /// <summary>The output span cannot hold the packet's duration (or is not a multiple of 10 ms); nothing was done.</summary>
    BufferTooSmall,
}
