namespace Telephony.Pbx.Sdp;

/// <summary>Bounds <see cref="SdpParser"/> enforces on network input; anything beyond is rejected, not truncated.</summary>
public static class SdpLimits
{
    /// <summary>Largest body accepted [bytes]; real offers are well under 4 KiB.</summary>
    public const int MaxSizeBytes = 32 * 1024;

    /// <summary>Most lines accepted.</summary>
    public const int MaxLines = 1024;

    /// <summary>Longest single line accepted [characters, without line end].</summary>
    public const int MaxLineLength = 4096;

    /// <summary>Most m= lines accepted.</summary>
    public const int MaxMediaCount = 32;

    /// <summary>Most formats on one m= line.</summary>
    public const int MaxFormatsPerMedia = 128;
}
