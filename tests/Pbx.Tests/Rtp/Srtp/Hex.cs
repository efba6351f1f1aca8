namespace Telephony.Pbx.Tests.Rtp.Srtp;

/// <summary>Hex strings as the RFCs print them (spaces and line breaks ignored).</summary>
internal static class Hex
{
    public static byte[] Bytes(string hex) =>
        Convert.FromHexString(string.Concat(hex.Where(c => !char.IsWhiteSpace(c))));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
