namespace Telephony.Host.Security;

/// <summary>
/// A console account: an extension (number, its password, its role) or an HTTP-only account from <c>accounts:</c>.
/// <see cref="Secret"/> is a PHC hash when <see cref="SecretIsHash"/> (from <c>passwordHash</c>), else the plaintext
/// password; a null
/// <see cref="Role"/> means the user exists but has no console access (extension role <c>user</c>).
/// </summary>
public sealed record ConsoleAccount(string User, string? Role, string Secret, bool SecretIsHash, string? Name)
{
    /// <summary>Never print the secret.</summary>
    public override string ToString() => $"{User} ({Role ?? "no console role"})";
}
