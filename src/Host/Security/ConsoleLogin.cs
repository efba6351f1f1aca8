using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Telephony.Recording.Storage;

namespace Telephony.Host.Security;

/// <summary>
/// Console login: throttle check, password check, session, audit. An unknown user, a user without a console role and
/// a wrong password get the same answer after the same work: every attempt runs exactly one key derivation with the
/// default parameters (against the account's hash, or against a dummy hash for unknown users and plaintext-configured
/// passwords, which are then compared in constant time). At most <see cref="ConcurrentHashes"/> derivations run at once,
/// so a burst of logins cannot exhaust memory (Argon2id takes 19 MiB each).
/// </summary>
public sealed class ConsoleLogin
{
    /// <summary>Key derivations allowed at the same time.</summary>
    public const int ConcurrentHashes = 2;

    private readonly AccountDirectory _accounts;
    private readonly ConsoleSessions _sessions;
    private readonly LoginThrottle _throttle;
    private readonly IAuditTrail _audit;
    private readonly Lazy<string> _dummyHash;
    private readonly SemaphoreSlim _hashing = new(ConcurrentHashes);

    public ConsoleLogin(AccountDirectory accounts, ConsoleSessions sessions, LoginThrottle throttle, IAuditTrail audit,
        string? dummyHash = null)
    {
        _accounts = accounts;
        _sessions = sessions;
        _throttle = throttle;
        _audit = audit;
        _dummyHash = new Lazy<string>(() => dummyHash ?? PasswordHasher.Hash(Convert.ToHexString(RandomNumberGenerator.GetBytes(16))));
    }

    /// <summary>Checks <paramref name="user"/>/<paramref name="password"/> from <paramref name="source"/> (client address).</summary>
    public async Task<LoginResult> LoginAsync(string? user, string? password, string source, CancellationToken cancellationToken = default)
    {
        user ??= "";
        password ??= "";
        if (_throttle.RetryAfter(user, source) is { } wait)
        {
            await AuditAsync(user, null, source, AuditActions.LoginFailed, AuditOutcomes.Denied,
                new { reason = "too many failures", retryAfterSeconds = Seconds(wait) }, cancellationToken).ConfigureAwait(false);
            return new LoginResult(LoginStatus.Throttled, RetryAfter: wait);
        }

        ConsoleAccount? account = _accounts.Find(user);
        bool matches = await VerifyAsync(account, password, cancellationToken).ConfigureAwait(false);
        if (!matches || account?.Role is not { } role)
        {
            string reason = account is null ? "unknown user" : matches ? "no console role" : "wrong password";
            TimeSpan? lockout = _throttle.Failed(user, source);
            await AuditAsync(user, account?.Role, source, AuditActions.LoginFailed, AuditOutcomes.Failed, new { reason },
                cancellationToken).ConfigureAwait(false);
            if (lockout is { } locked)
            {
                await AuditAsync(user, account?.Role, source, AuditActions.LoginLockedOut, AuditOutcomes.Denied,
                    new { lockoutSeconds = Seconds(locked) }, cancellationToken).ConfigureAwait(false);
            }

            return new LoginResult(LoginStatus.Invalid);
        }

        _throttle.Succeeded(user);
        (string token, ConsoleSession session) = await _sessions.CreateAsync(user, role, source, cancellationToken).ConfigureAwait(false);
        await AuditAsync(user, role, source, AuditActions.Login, AuditOutcomes.Ok,
            new { session = session.Id[..16], expiresAt = session.ExpiresAt }, cancellationToken).ConfigureAwait(false);
        return new LoginResult(LoginStatus.Ok, token, session);
    }

    private async Task<bool> VerifyAsync(ConsoleAccount? account, string password, CancellationToken cancellationToken)
    {
        await _hashing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (account is { SecretIsHash: true })
            {
                return PasswordHasher.Verify(account.Secret, password);
            }

            _ = PasswordHasher.Verify(_dummyHash.Value, password); // the same work as for a hashed account
            return account is not null && FixedTimeEquals(account.Secret, password);
        }
        finally
        {
            _hashing.Release();
        }
    }

    private static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(expected)), SHA256.HashData(Encoding.UTF8.GetBytes(actual)));

    private Task AuditAsync(string user, string? role, string source, string action, string outcome, object detail,
        CancellationToken cancellationToken) =>
        _audit.RecordAsync(new AuditEntry
        {
            Actor = user.Length > 64 ? user[..64] : user,
            Role = role,
            Source = source,
            Action = action,
            Outcome = outcome,
            Detail = JsonSerializer.Serialize(detail),
        }, cancellationToken);

    private static long Seconds(TimeSpan t) => (long)Math.Ceiling(t.TotalSeconds);
}
