namespace Telephony.Pbx.Media.Codecs;

/// <summary>Which layers code an Opus frame, from the TOC configuration number (RFC 6716 §3.1, Table 2).</summary>
public enum OpusCodingMode
{
    /// <summary>Linear-prediction layer only (configurations 0–11); can carry LBRR (in-band FEC) data.</summary>
    Silk,
    /// <summary>SILK below 8 kHz plus CELT above (configurations 12–15); can carry LBRR data in its SILK part.</summary>
    Hybrid,
    /// <summary>MDCT layer only (configurations 16–31); never carries FEC.</summary>
    Celt,
}
