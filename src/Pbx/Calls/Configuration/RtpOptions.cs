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

    /// <summary>SRTP for phones (RFC 3711, keyed by SDES RFC 4568): <c>off</c>, <c>optional</c> (default: an RTP/SAVP
    /// offer with a=crypto is answered with SRTP, a plain offer plainly; our offers are plain) or <c>required</c> (only
    /// RTP/SAVP is accepted, and our offers to phones are RTP/SAVP). Trunks have their own <c>trunks[].srtp</c>.</summary>
    public string Srtp { get; set; } = "optional";

    /// <summary>The public IP of the RTP ports (cloud VM, 1:1 NAT): written into the ICE host candidate and the c= line
    /// of WebRTC legs, ahead of the local address. Empty = the SDP address (<c>sip.advertisedAddress</c> or the local
    /// address toward the peer). SIP phones are unaffected (<c>sip.advertisedAddress</c> covers them).</summary>
    public string PublicAddress { get; set; } = string.Empty;
}
