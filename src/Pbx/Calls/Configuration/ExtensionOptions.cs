namespace Telephony.Pbx.Calls.Configuration;

/// <summary>One user/extension from <c>config/extensions.yaml</c>.</summary>
public sealed class ExtensionOptions
{
    public string Number { get; set; } = "";
    public string Password { get; set; } = "";

    /// <summary>Instead of <see cref="Password"/> for SIP digest: lower-case hex MD5(number:realm:password) (RFC 7616
    /// §3.4.2), so the file need not hold the plaintext; <c>hash-password --ha1</c> makes it. Tied to <c>sip.realm</c>.</summary>
    public string? Ha1 { get; set; }

    /// <summary>The same with SHA-256, for when <c>sip.digestAlgorithms</c> includes SHA-256.</summary>
    public string? Ha1Sha256 { get; set; }
    public string? Name { get; set; }
    /// <summary><c>agent</c>, <c>supervisor</c> or <c>user</c>.</summary>
    public string Role { get; set; } = "user";
}
