namespace Telephony.Pbx.Sdp;

/// <summary>The o= line (RFC 8866 §5.2): originator, session id and version, and the address of the originating host.</summary>
public sealed record SdpOrigin(
    string UserName,
    ulong SessionId,
    ulong SessionVersion,
    string NetworkType,
    string AddressType,
    string Address)
{
    /// <summary>The same origin with the session version increased by one (RFC 3264 §8: every changed re-offer).</summary>
    public SdpOrigin WithNextVersion() => this with { SessionVersion = unchecked(SessionVersion + 1) };

    /// <summary>Appends the text after "o=" (the same as <see cref="ToString"/>, without the string).</summary>
    internal void AppendTo(System.Text.StringBuilder sb) =>
        sb.Append(UserName).Append(' ').Append(SessionId).Append(' ').Append(SessionVersion).Append(' ')
            .Append(NetworkType).Append(' ').Append(AddressType).Append(' ').Append(Address);

    /// <summary>The text after "o=".</summary>
    public override string ToString() =>
        $"{UserName} {SessionId} {SessionVersion} {NetworkType} {AddressType} {Address}";
}
