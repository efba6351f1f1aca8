namespace Telephony.Pbx.Calls;

/// <summary>Per-leg SDP bookkeeping: our o= session id and version (bumped on every new description, RFC 3264 §8).</summary>
public sealed class MediaSdpState
{
    public ulong SessionId { get; } = (ulong)Random.Shared.NextInt64(1, long.MaxValue / 2);
    public ulong Version { get; private set; } = 1;
    /// <summary>The last SDP we sent on this leg (offer or answer).</summary>
    public byte[]? LastLocal { get; set; }
    public ulong NextVersion() => ++Version;
}
