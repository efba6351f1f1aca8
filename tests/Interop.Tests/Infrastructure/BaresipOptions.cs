namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>How to start a <see cref="BaresipPeer"/>: ports, the account line and the audio it plays.</summary>
public sealed record BaresipOptions
{
    /// <summary>Name for logs and folder names.</summary>
    public required string Name { get; init; }

    /// <summary><c>sip_listen</c> port (UDP+TCP; baresip also takes port+1 for TLS).</summary>
    public required int SipPort { get; init; }

    /// <summary><c>ctrl_tcp_listen</c> port.</summary>
    public required int ControlPort { get; init; }

    /// <summary>First RTP port (<c>rtp_ports</c> gets 10 ports from here).</summary>
    public required int RtpPortMin { get; init; }

    /// <summary>One line of the <c>accounts</c> file (see <see cref="BaresipPeer.AccountLine"/>).</summary>
    public required string Account { get; init; }

    /// <summary>8 kHz mono PCM16 WAV to send; it is looped 30 times so calls never reach its end.</summary>
    public required string AudioSourceWav { get; init; }

    /// <summary><c>-t</c>: baresip quits by itself after this long.</summary>
    public TimeSpan QuitAfter { get; init; } = TimeSpan.FromSeconds(180);

    /// <summary>How long to wait for "baresip is ready.".</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>More modules to load (e.g. <c>srtp.so</c> for SDES-SRTP, <c>dtls_srtp.so</c>, <c>ice.so</c>).</summary>
    public IReadOnlyList<string> ExtraModules { get; init; } = [];

    /// <summary>More config lines, written after the modules (e.g. <c>rtcp_mux yes</c>).</summary>
    public IReadOnlyList<string> ExtraConfig { get; init; } = [];
}
