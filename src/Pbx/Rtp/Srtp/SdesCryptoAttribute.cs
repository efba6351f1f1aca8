using System.Globalization;
using System.Security.Cryptography;

namespace Telephony.Pbx.Rtp.Srtp;

/// <summary>
/// One SDES crypto attribute value (RFC 4568 §4, §6.1, §9): <c>&lt;tag&gt; &lt;suite&gt; inline:&lt;base64 key||salt&gt;[|lifetime]</c>.
/// We support one inline key per line without MKI, default session parameters (kdr 0, encrypted and authenticated
/// SRTP and SRTCP) and the suites of <see cref="SrtpProfile.All"/>. <see cref="ToString"/> hides the key; use
/// <see cref="Format"/> to write the SDP.
/// </summary>
public sealed partial class SdesCryptoAttribute
{
    /// <summary>
    /// Smallest key lifetime we accept and then ignore: 2^20 packets is 5.8 hours of 20 ms audio, longer than any call
    /// we carry, and we never re-key mid-call. Shorter lifetimes are refused (<see cref="SdesError.LifetimeTooShort"/>).
    /// </summary>
    public const long MinimumLifetimePackets = 1L << 20;

    /// <summary>Largest tag the grammar allows (1*9DIGIT).</summary>
    public const int MaxTag = 999_999_999;

    private readonly byte[] _keySalt;

    private SdesCryptoAttribute(int tag, SrtpProfile profile, byte[] keySalt, long? lifetimePackets)
    {
        Tag = tag;
        Profile = profile;
        _keySalt = keySalt;
        LifetimePackets = lifetimePackets;
    }

    /// <summary>The tag that pairs an answer with the offered line (RFC 4568 §4.1).</summary>
    public int Tag { get; }

    public SrtpProfile Profile { get; }

    /// <summary>The master key (16 bytes).</summary>
    public ReadOnlyMemory<byte> MasterKey => _keySalt.AsMemory(0, Profile.MasterKeyLength);

    /// <summary>The master salt (14 bytes AES-CM, 12 GCM).</summary>
    public ReadOnlyMemory<byte> MasterSalt => _keySalt.AsMemory(Profile.MasterKeyLength, Profile.MasterSaltLength);

    /// <summary>The offered key lifetime in packets, if any (accepted when at least <see cref="MinimumLifetimePackets"/>, otherwise ignored).</summary>
    public long? LifetimePackets { get; }

    /// <summary>A line with a fresh random master key and salt from the system CSPRNG, for an offer or an answer.</summary>
    public static SdesCryptoAttribute CreateRandom(int tag, SrtpProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentOutOfRangeException.ThrowIfNegative(tag);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(tag, MaxTag);
        return new SdesCryptoAttribute(tag, profile, RandomNumberGenerator.GetBytes(profile.SdesKeySaltLength), null);
    }

    /// <summary>One line per profile, tags 1..n, each with its own random key (RFC 4568 §5.1.1).</summary>
    public static IReadOnlyList<SdesCryptoAttribute> CreateOffer(IReadOnlyList<SrtpProfile>? profiles = null)
    {
        profiles ??= SrtpProfile.All;
        return profiles.Select((p, i) => CreateRandom(i + 1, p)).ToArray();
    }

    /// <summary>The attribute value to write after <c>a=crypto:</c> (contains the key).</summary>
    public string Format() => string.Create(CultureInfo.InvariantCulture,
        $"{Tag} {Profile.SdesName} inline:{Convert.ToBase64String(_keySalt)}");

    /// <summary>An SRTP context keyed with this line's master key and salt.</summary>
    public SrtpContext CreateContext(SrtpDirection direction, int maxStreams = SrtpContext.DefaultMaxStreams) =>
        direction == SrtpDirection.Outbound
            ? SrtpContext.CreateOutbound(Profile, MasterKey.Span, MasterSalt.Span, maxStreams)
            : SrtpContext.CreateInbound(Profile, MasterKey.Span, MasterSalt.Span, maxStreams);

    /// <summary>The line without its key, for logs.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Tag} {Profile.SdesName} inline:<{_keySalt.Length} bytes>");
}
