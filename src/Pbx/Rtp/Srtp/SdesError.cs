namespace Telephony.Pbx.Rtp.Srtp;

/// <summary>Why an SDES <c>a=crypto</c> attribute (RFC 4568 §4, §6, §9 grammar) was refused. Safe to log: carries no key.</summary>
public enum SdesError
{
    None = 0,

    /// <summary>Not <c>&lt;tag&gt; &lt;crypto-suite&gt; &lt;key-params&gt; [&lt;session-params&gt;]</c>.</summary>
    Malformed,

    /// <summary>The tag is not 1 to 9 digits (RFC 4568 §4.1).</summary>
    BadTag,

    /// <summary>A crypto suite we do not implement (we have AES_CM_128_HMAC_SHA1_80/32 and AEAD_AES_128_GCM).</summary>
    UnsupportedSuite,

    /// <summary>A key method other than <c>inline:</c> (RFC 4568 §6.1 defines only inline).</summary>
    UnsupportedKeyMethod,

    /// <summary>The inline key-salt is not valid base64.</summary>
    BadBase64,

    /// <summary>The decoded key-salt is not master key + master salt long for the suite (30 bytes AES-CM, 28 GCM).</summary>
    WrongKeyLength,

    /// <summary>An MKI (<c>|value:length</c>, RFC 4568 §6.1) was given: we do not implement MKI, so we refuse it.</summary>
    MkiNotSupported,

    /// <summary>More than one inline key (<c>;</c>-separated): needs MKI, which we do not implement.</summary>
    MultipleKeysNotSupported,

    /// <summary>The lifetime is not <c>2^n</c> or a decimal count, or exceeds the suite's 2^48 maximum.</summary>
    BadLifetime,

    /// <summary>The key lifetime is below <see cref="SdesCryptoAttribute.MinimumLifetimePackets"/>; we never re-key mid-call.</summary>
    LifetimeTooShort,

    /// <summary>A session parameter we do not implement: UNENCRYPTED_SRTP/SRTCP, UNAUTHENTICATED_SRTP, KDR, FEC_KEY or an unknown mandatory one (§6.3).</summary>
    UnsupportedSessionParameter,

    /// <summary>The offer has no <c>a=crypto</c> line at all.</summary>
    NoCryptoOffered,

    /// <summary>The answer's tag matches none of our offered lines (RFC 4568 §5.1.3).</summary>
    AnswerTagNotOffered,

    /// <summary>The answer's suite differs from the one we offered under that tag.</summary>
    AnswerSuiteMismatch,
}
