#pragma warning disable
using System.Net;
using Microsoft.Extensions.Logging;
namespace Telephony.Pbx.Media;
public sealed class MediaEngineOptions { public IPAddress BindAddress { get; set; } = IPAddress.Any; public int PortMin { get; set; } public int PortMax { get; set; } public int LoopCount { get; set; } public TimeSpan RtpTimeout { get; set; } }
public sealed class MediaEngine : IAsyncDisposable { public MediaEngine(MediaEngineOptions o, ILoggerFactory? f = null, TimeProvider? t = null) {} public void Start() {} public RtpSession CreateSession(string callId, RtpSession? sameLoopAs = null) => throw new MediaPortsExhaustedException(); public object Stats => new(); public ValueTask DisposeAsync() => default; }
public sealed class MediaPortsExhaustedException : Exception {}
public enum MediaDirection { SendRecv, SendOnly, RecvOnly, Inactive }
public enum AudioCodec { Pcmu, Pcma }
public sealed record RtpSessionParameters(IPEndPoint Remote, AudioCodec Codec, int PayloadType, int? TelephoneEventPayloadType, MediaDirection Direction);
public sealed class RtpSessionStats { public long PacketsSent; public long PacketsReceived; public long PacketsLost; public double JitterMs; }
public sealed class RtpSession : IDisposable { public string CallId => ""; public int LocalRtpPort => 0; public void Configure(RtpSessionParameters p) {} public void SetSource(MediaSource s) {} public void SendDtmf(char d, int ms = 160) {} public event Action<RtpSession, char>? DigitReceived; public event Action<RtpSession>? RtpTimedOut; public RtpSessionStats GetStats() => new(); public void Dispose() {} }
public abstract class MediaSource {}
public sealed class SilenceSource : MediaSource { public static SilenceSource Instance { get; } = new(); }
public sealed class EchoSource : MediaSource { public static EchoSource Instance { get; } = new(); }
public sealed class BridgeSource : MediaSource { public BridgeSource(RtpSession peer) {} }
public sealed class PromptSource : MediaSource { public PromptSource(AudioClip clip, MediaSource? then = null, Action? onFinished = null) {} }
public sealed class AudioClip { public static AudioClip LoadWav(string path) => new(); }
