namespace Telephony.Pbx.Calls.Configuration;

/// <summary>RTP media settings (section <c>rtp</c>).</summary>
public sealed class RtpOptions
{
    public string Address { get; set; } = "0.0.0.0";
    public int PortMin { get; set; } = 20000;
    public int PortMax { get; set; } = 29999;
    /// <summary>Number of paced media loops; 0 = one per CPU core.</summary>
    public int Loops { get; set; }
    public int TimeoutSeconds { get; set; } = 60;
}
