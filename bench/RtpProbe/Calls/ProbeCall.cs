using System.Net;
using Telephony.Pbx.Rtp.Srtp;

namespace Telephony.RtpProbe.Calls;

/// <summary>Where a probe call is in its life (RFC 3261 §13 UAC: INVITE, 2xx + ACK, BYE).</summary>
internal enum CallPhase
{
    Inviting,
    Talking,
    Ending,
    Done,
}

/// <summary>
/// One call of the calls mode: its SIP dialog (Call-ID, tags, CSeq, retransmission timer), its media (SSRC, sequence,
/// timestamp; SRTP contexts keyed by SDES when it offered RTP/SAVP) and what it measured.
/// Signalling fields are touched under <see cref="Gate"/>; the media fields belong to one thread each
/// (outbound: the talker, inbound: the receiver).
/// </summary>
internal sealed class ProbeCall(int index, bool srtp, string runId)
{
    public object Gate { get; } = new();
    public int Index { get; } = index;
    public bool Srtp { get; } = srtp;
    public string CallId { get; } = $"probe-{runId}-{index}";
    public string FromTag { get; } = $"f{index}";
    public IReadOnlyList<SdesCryptoAttribute>? Offered { get; set; }

    /// <summary>ICE, DTLS and the SRTP keys of a WebRTC-style call (null for plain and SDES calls).</summary>
    public WebRtcLeg? WebRtc { get; init; }

    // Signalling (under Gate)
    public CallPhase Phase { get; set; } = CallPhase.Inviting;
    public string Branch { get; set; } = "";
    public string RequestText { get; set; } = "";
    public double NextRetransmitMs { get; set; }
    public double RetransmitIntervalMs { get; set; } = 500;
    public double GiveUpAtMs { get; set; }
    public double InvitedAtMs { get; set; }
    public double AnsweredAtMs { get; set; }
    public double ByeAtMs { get; set; }
    public bool Provisional { get; set; }
    public string ToHeader { get; set; } = "";
    public string RemoteTarget { get; set; } = "";
    public string AckText { get; set; } = "";
    public int FinalStatus { get; set; }
    public string? Failure { get; set; }
    public bool ServerHungUp { get; set; }

    // Media, outbound (talker thread)
    public IPEndPoint? MediaTarget { get; set; }
    public SocketAddressHolder? Target { get; set; }
    public SrtpContext? Outbound { get; set; }
    public uint Ssrc { get; } = 0x5EED0000u + (uint)index;
    public ushort Sequence { get; set; } = (ushort)(index * 7919);
    public uint Timestamp { get; set; } = (uint)index * 104729u;
    public int Frame { get; set; } = index;
    public long PacketsSent { get; set; }
    public long ProtectErrors { get; set; }
    public volatile bool Talking;

    // Media, inbound (receive thread)
    public SrtpContext? Inbound { get; set; }
    public StreamStats Received { get; } = new();
    public long UnprotectOk { get; set; }
    public long AuthFailures { get; set; }
    public long OtherUnprotectErrors { get; set; }
    public long EchoedFrames { get; set; }
}

/// <summary>A SocketAddress made once per call so sending allocates nothing.</summary>
internal sealed class SocketAddressHolder(IPEndPoint endPoint)
{
    public System.Net.SocketAddress Address { get; } = endPoint.Serialize();
}
