namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>What a pcap written by <see cref="PcapBuilder"/> holds.</summary>
public sealed record PcapSummary(
    string Path,
    int AudioPackets,
    int EventPackets,
    int SilencePackets,
    int TotalPackets,
    double DurationSeconds,
    string Digits)
{
    /// <summary>PCMU packets (audio + silence).</summary>
    public int PcmuPackets => AudioPackets + SilencePackets;
}
