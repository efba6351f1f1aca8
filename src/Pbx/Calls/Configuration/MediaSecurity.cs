namespace Telephony.Pbx.Calls.Configuration;

/// <summary>How a leg's media is protected (the <c>rtp.srtp</c> and <c>trunks[].srtp</c> settings).</summary>
public enum MediaSecurity
{
    /// <summary>Plain RTP only: RTP/SAVP offers are refused (488), a=crypto is ignored.</summary>
    Off,

    /// <summary>SRTP when the peer offers it (RTP/SAVP with a=crypto, or RTP/AVP with a=crypto), plain RTP otherwise;
    /// our offers are plain.</summary>
    Optional,

    /// <summary>SRTP only: plain offers are refused (488), our offers are RTP/SAVP with a=crypto.</summary>
    Required,
}
