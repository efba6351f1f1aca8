namespace Telephony.Pbx.Sip.Registrar;

/// <summary>What <see cref="DigestAuthenticator.Verify"/> concluded, and for which user (null when unparsable).</summary>
public readonly record struct DigestVerifyResult(DigestOutcome Outcome, string? UserName)
{
    /// <summary>True for <see cref="DigestOutcome.Ok"/>.</summary>
    public bool IsOk => Outcome == DigestOutcome.Ok;
}
