using Telephony.Pbx.WebRtc.Dtls;

namespace Telephony.Pbx.Tests.WebRtc.Dtls;

/// <summary>RFC 5764 §4.2 split of the exported block: client key | server key | client salt | server salt.</summary>
public sealed class DtlsSrtpKeysTests
{
    private static readonly byte[] Material60 = [.. Enumerable.Range(0, 60).Select(i => (byte)i)];

    [Fact]
    public void Server_protects_with_the_server_pair_and_unprotects_with_the_client_pair()
    {
        var keys = DtlsSrtpKeys.FromKeyingMaterial(SrtpProfile.Aes128CmHmacSha1_80, DtlsRole.Server, Material60);
        Assert.Equal(Material60[16..32], keys.LocalKey.ToArray());
        Assert.Equal(Material60[46..60], keys.LocalSalt.ToArray());
        Assert.Equal(Material60[0..16], keys.RemoteKey.ToArray());
        Assert.Equal(Material60[32..46], keys.RemoteSalt.ToArray());
    }

    [Fact]
    public void Client_gets_the_same_split_crosswise()
    {
        var keys = DtlsSrtpKeys.FromKeyingMaterial(SrtpProfile.Aes128CmHmacSha1_80, DtlsRole.Client, Material60);
        Assert.Equal(Material60[0..16], keys.LocalKey.ToArray());
        Assert.Equal(Material60[32..46], keys.LocalSalt.ToArray());
        Assert.Equal(Material60[16..32], keys.RemoteKey.ToArray());
        Assert.Equal(Material60[46..60], keys.RemoteSalt.ToArray());
    }

    [Theory]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_80, 16, 14, 60)]
    [InlineData(SrtpProfile.Aes128CmHmacSha1_32, 16, 14, 60)]
    [InlineData(SrtpProfile.AeadAes128Gcm, 16, 12, 56)]
    [InlineData(SrtpProfile.AeadAes256Gcm, 32, 12, 88)]
    public void Profile_lengths(SrtpProfile profile, int key, int salt, int material)
    {
        Assert.Equal(key, profile.GetMasterKeyLength());
        Assert.Equal(salt, profile.GetMasterSaltLength());
        Assert.Equal(material, profile.GetKeyingMaterialLength());
        var keys = DtlsSrtpKeys.FromKeyingMaterial(profile, DtlsRole.Server, new byte[material]);
        Assert.Equal(key, keys.RemoteKey.Length);
        Assert.Equal(salt, keys.RemoteSalt.Length);
    }

    [Fact]
    public void Wrong_material_length_is_refused() =>
        Assert.Throws<ArgumentException>(() =>
            DtlsSrtpKeys.FromKeyingMaterial(SrtpProfile.AeadAes128Gcm, DtlsRole.Server, Material60));
}
