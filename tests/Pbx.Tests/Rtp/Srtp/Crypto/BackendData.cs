using Telephony.Pbx.Rtp.Srtp.Crypto;

namespace Telephony.Pbx.Tests.Rtp.Srtp.Crypto;

/// <summary>The crypto backends available on this machine (by name: theory parameters must be public types).</summary>
internal static class BackendData
{
    public static TheoryData<string> All
    {
        get
        {
            var data = new TheoryData<string> { nameof(SrtpCryptoBackend.Bcl) };
            if (Aes128Ni.IsSupported)
            {
                data.Add(nameof(SrtpCryptoBackend.Intrinsics));
            }

            return data;
        }
    }

    public static SrtpCryptoBackend Parse(string name) => Enum.Parse<SrtpCryptoBackend>(name);
}
