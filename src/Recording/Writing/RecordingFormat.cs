namespace Telephony.Recording.Writing;

/// <summary>
/// Sample encoding of a recording file: stereo, 8 kHz. The numeric values are the WAVE format tags
/// (RIFF WAVE <c>wFormatTag</c>: 1 = PCM, 6 = ITU G.711 A-law, 7 = ITU G.711 mu-law).
/// </summary>
public enum RecordingFormat : ushort
{
    /// <summary>Linear PCM, 16 bits per sample, little endian (4 bytes per stereo frame).</summary>
    Pcm16 = 1,

    /// <summary>ITU-T G.711 A-law, 8 bits per sample (2 bytes per stereo frame).</summary>
    ALaw = 6,

    /// <summary>ITU-T G.711 mu-law, 8 bits per sample (2 bytes per stereo frame).</summary>
    MuLaw = 7,
}
