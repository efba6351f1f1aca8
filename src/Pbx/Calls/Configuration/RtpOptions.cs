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

    /// <summary>How long a queue or IVR call waits, with the customer on hold, for its browser agent to come back after
    /// the agent's SIP WebSocket closed mid-call without BYE (a page reload): the reloaded page registers again and is
    /// re-INVITEd (<c>X-Telephony-Reattach</c>) into the same call. Past it the customer goes back to the head of the
    /// queue (a call outside queues ends). 0 = no wait (back to the queue at once).</summary>
    public int WebRtcReattachGraceSeconds { get; set; } = 30;

    /// <summary>Opus encoder complexity (0–10) of legs that talk Opus (browsers): the CPU per browser leg. Measured
    /// (bench/webrtc.sh, 2 cores): 200 WebRTC legs at 5 saturate the box (about 1 % of a core per leg, encoding is most
    /// of it); at 1 they run clean at about 0.5 % per leg. The engine's audio is 8 kHz telephone speech, which the low
    /// complexities code without audible loss; raise it for wideband sources.</summary>
    public int OpusComplexity { get; set; } = 1;
}
