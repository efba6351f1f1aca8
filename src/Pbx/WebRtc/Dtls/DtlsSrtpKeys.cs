namespace Telephony.Pbx.WebRtc.Dtls;

/// <summary>
/// SRTP master keys and salts from a DTLS-SRTP handshake (RFC 5764 §4.2), already assigned to our role: we protect
/// with <see cref="LocalKey"/>/<see cref="LocalSalt"/> and unprotect with <see cref="RemoteKey"/>/<see cref="RemoteSalt"/>.
/// </summary>
/// <remarks>
/// The exported block is <c>client_write_key | server_write_key | client_write_salt | server_write_salt</c>; the
/// DTLS client sends with the client pair, the server with the server pair.
/// </remarks>
public sealed class DtlsSrtpKeys
{
    private DtlsSrtpKeys(SrtpProfile profile, DtlsRole role, byte[] localKey, byte[] localSalt, byte[] remoteKey,
        byte[] remoteSalt, byte[] peerCertificate)
    {
        Profile = profile;
        Role = role;
        LocalKey = localKey;
        LocalSalt = localSalt;
        RemoteKey = remoteKey;
        RemoteSalt = remoteSalt;
        PeerCertificate = peerCertificate;
    }

    /// <summary>The negotiated use_srtp profile.</summary>
    public SrtpProfile Profile { get; }

    public DtlsRole Role { get; }

    /// <summary>Master key for what we send (SRTP/SRTCP protect).</summary>
    public ReadOnlyMemory<byte> LocalKey { get; }

    /// <summary>Master salt for what we send.</summary>
    public ReadOnlyMemory<byte> LocalSalt { get; }

    /// <summary>Master key for what we receive (unprotect).</summary>
    public ReadOnlyMemory<byte> RemoteKey { get; }

    /// <summary>Master salt for what we receive.</summary>
    public ReadOnlyMemory<byte> RemoteSalt { get; }

    /// <summary>The peer's certificate (DER), already checked against its <c>a=fingerprint</c>.</summary>
    public ReadOnlyMemory<byte> PeerCertificate { get; }

    /// <summary>Splits the exported keying material (RFC 5764 §4.2) for <paramref name="role"/>.</summary>
    public static DtlsSrtpKeys FromKeyingMaterial(SrtpProfile profile, DtlsRole role, ReadOnlySpan<byte> material,
        ReadOnlySpan<byte> peerCertificate = default)
    {
        var keyLength = profile.GetMasterKeyLength();
        var saltLength = profile.GetMasterSaltLength();
        if (material.Length != profile.GetKeyingMaterialLength())
        {
            throw new ArgumentException(
                $"{profile} needs {profile.GetKeyingMaterialLength()} bytes of keying material.", nameof(material));
        }

        var clientKey = material[..keyLength].ToArray();
        var serverKey = material.Slice(keyLength, keyLength).ToArray();
        var clientSalt = material.Slice(2 * keyLength, saltLength).ToArray();
        var serverSalt = material.Slice((2 * keyLength) + saltLength, saltLength).ToArray();
        return role == DtlsRole.Server
            ? new DtlsSrtpKeys(profile, role, serverKey, serverSalt, clientKey, clientSalt, peerCertificate.ToArray())
            : new DtlsSrtpKeys(profile, role, clientKey, clientSalt, serverKey, serverSalt, peerCertificate.ToArray());
    }

    /// <summary>Redacts the keys.</summary>
    public override string ToString() => $"{Profile} ({Role})";
}
