using System.Security.Cryptography;

namespace Telephony.Pbx.Sip.Messages;

/// <summary>
/// Random identifiers: branch (RFC 3261 §8.1.1.7, magic cookie "z9hG4bK"), tags (§19.3) and Call-IDs (§8.1.1.4).
/// </summary>
public static class SipIds
{
    /// <summary>The RFC 3261 branch magic cookie.</summary>
    public const string BranchCookie = "z9hG4bK";

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A new branch: the magic cookie followed by 20 random characters.</summary>
    public static string NewBranch() => BranchCookie + Random(20);

    /// <summary>A new tag with at least 32 bits of randomness (§19.3).</summary>
    public static string NewTag() => Random(12);

    /// <summary>A new globally unique Call-ID.</summary>
    public static string NewCallId() => Random(32);

    private static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);
}
