using Telephony.Pbx.Sdp;

namespace Telephony.Pbx.Tests.Sdp;

internal static class SdpTestData
{
    public static string VectorPath(string name) => Path.Combine(AppContext.BaseDirectory, "Vectors", "sdp", name);

    public static string ReadVector(string name) => File.ReadAllText(VectorPath(name));

    /// <summary>Parses a vector, swapping the RFC example host names for documentation IP addresses.</summary>
    public static SdpDescription ParseWithIps(string name) => Parse(ReadVector(name)
        .Replace("host.atlanta.example.com", "192.0.2.10", StringComparison.Ordinal)
        .Replace("host.biloxi.example.com", "192.0.2.20", StringComparison.Ordinal));

    public static SdpDescription Parse(string text)
    {
        Assert.True(SdpParser.TryParse(text, out SdpDescription? d, out SdpError? e), e?.ToString());
        return d!;
    }

    public static SdpError Fail(string text)
    {
        Assert.False(SdpParser.TryParse(text, out SdpDescription? d, out SdpError? e));
        Assert.Null(d);
        return e!;
    }
}
