using System.Security.Cryptography;

namespace Telephony.Pbx.WebRtc.Ice;

/// <summary>
/// An ICE username fragment and password (RFC 8445 §5.3, SDP syntax RFC 8839 §5.4): ufrag 4-256 and pwd 22-256
/// characters from the ice-char set (ALPHA / DIGIT / "+" / "/"). <see cref="Generate"/> draws them from a CSPRNG.
/// </summary>
public sealed record IceCredentials
{
    public const int MinUfragLength = 4;
    public const int MinPasswordLength = 22;
    public const int MaxLength = 256;

    /// <summary>Lengths <see cref="Generate"/> uses: 8 × 6 bits of ufrag, 24 × 6 = 144 bits of password.</summary>
    public const int GeneratedUfragLength = 8;

    public const int GeneratedPasswordLength = 24;

    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    public IceCredentials(string ufrag, string password)
    {
        ArgumentNullException.ThrowIfNull(ufrag);
        ArgumentNullException.ThrowIfNull(password);
        if (!IsValidUfrag(ufrag))
        {
            throw new ArgumentException("An ICE ufrag is 4-256 ice-chars (RFC 8839 §5.4).", nameof(ufrag));
        }

        if (!IsValidPassword(password))
        {
            throw new ArgumentException("An ICE pwd is 22-256 ice-chars (RFC 8839 §5.4).", nameof(password));
        }

        Ufrag = ufrag;
        Password = password;
    }

    /// <summary>Value of <c>a=ice-ufrag</c>.</summary>
    public string Ufrag { get; }

    /// <summary>Value of <c>a=ice-pwd</c>; the STUN short-term credential key (RFC 8445 §7.2.2).</summary>
    public string Password { get; }

    /// <summary>New random credentials for one media session.</summary>
    public static IceCredentials Generate() => new(
        new string(RandomNumberGenerator.GetItems<char>(IceChars, GeneratedUfragLength)),
        new string(RandomNumberGenerator.GetItems<char>(IceChars, GeneratedPasswordLength)));

    public static bool IsValidUfrag(string? value) =>
        value is { Length: >= MinUfragLength and <= MaxLength } && AreIceChars(value);

    public static bool IsValidPassword(string? value) =>
        value is { Length: >= MinPasswordLength and <= MaxLength } && AreIceChars(value);

    /// <summary>Redacts the password.</summary>
    public override string ToString() => $"ufrag={Ufrag}";

    private static bool AreIceChars(string value) => value.AsSpan().IndexOfAnyExcept(IceChars) < 0;
}
