using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Konscious.Security.Cryptography;

namespace Telephony.Host.Security;

/// <summary>
/// Password hashes in the PHC string format: Argon2id (RFC 9106, through Konscious.Security.Cryptography)
/// <c>$argon2id$v=19$m=19456,t=2,p=1$&lt;salt&gt;$&lt;hash&gt;</c> and PBKDF2-HMAC-SHA256 (RFC 8018 §5.2, the BCL's
/// <see cref="Rfc2898DeriveBytes.Pbkdf2(byte[], byte[], int, HashAlgorithmName, int)"/>)
/// <c>$pbkdf2-sha256$i=600000$&lt;salt&gt;$&lt;hash&gt;</c>; salt and hash are base64 without padding. The default
/// parameters are OWASP's (Password Storage Cheat Sheet): Argon2id m=19 MiB, t=2, p=1; PBKDF2-SHA256 600,000 iterations.
/// </summary>
public static class PasswordHasher
{
    public const string Argon2idPrefix = "$argon2id$";
    public const string Pbkdf2Prefix = "$pbkdf2-sha256$";

    /// <summary>Argon2id memory [KiB], passes and lanes.</summary>
    public const int Argon2MemoryKiB = 19456, Argon2Iterations = 2, Argon2Parallelism = 1;

    /// <summary>PBKDF2-HMAC-SHA256 iterations.</summary>
    public const int Pbkdf2Iterations = 600_000;

    private const int SaltBytes = 16, HashBytes = 32;

    /// <summary>Largest parameters accepted when verifying, so a bad config cannot make one login take minutes.</summary>
    private const int MaxArgon2MemoryKiB = 1 << 20, MaxIterations = 10_000_000;

    /// <summary>True when <paramref name="stored"/> is one of the hash formats (and not a plaintext password).</summary>
    public static bool IsHash(string? stored) =>
        stored is not null && (stored.StartsWith(Argon2idPrefix, StringComparison.Ordinal) || stored.StartsWith(Pbkdf2Prefix, StringComparison.Ordinal));

    /// <summary>Hashes <paramref name="password"/> with a new random salt.</summary>
    public static string Hash(string password, PasswordHashAlgorithm algorithm = PasswordHashAlgorithm.Argon2id)
    {
        ArgumentNullException.ThrowIfNull(password);
        byte[] salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return algorithm switch
        {
            PasswordHashAlgorithm.Pbkdf2Sha256 => FormatPbkdf2(Pbkdf2Iterations, salt,
                Pbkdf2(password, salt, Pbkdf2Iterations, HashBytes)),
            _ => FormatArgon2id(Argon2MemoryKiB, Argon2Iterations, Argon2Parallelism, salt,
                Argon2id(password, salt, Argon2MemoryKiB, Argon2Iterations, Argon2Parallelism, HashBytes)),
        };
    }

    /// <summary>Same, with explicit parameters (tests use small ones).</summary>
    public static string HashArgon2id(string password, byte[] salt, int memoryKiB, int iterations, int parallelism) =>
        FormatArgon2id(memoryKiB, iterations, parallelism, salt, Argon2id(password, salt, memoryKiB, iterations, parallelism, HashBytes));

    /// <summary>Same, with explicit parameters (tests use small ones).</summary>
    public static string HashPbkdf2(string password, byte[] salt, int iterations) =>
        FormatPbkdf2(iterations, salt, Pbkdf2(password, salt, iterations, HashBytes));

    /// <summary>
    /// True when <paramref name="password"/> matches the hash <paramref name="stored"/> (compared in constant time).
    /// False for a malformed hash or out-of-range parameters.
    /// </summary>
    public static bool Verify(string stored, string password)
    {
        ArgumentNullException.ThrowIfNull(stored);
        ArgumentNullException.ThrowIfNull(password);
        string[] parts = stored.Split('$');
        try
        {
            if (stored.StartsWith(Argon2idPrefix, StringComparison.Ordinal) && parts.Length == 6 && parts[2] == "v=19"
                && TryArgon2Parameters(parts[3], out int m, out int t, out int p))
            {
                byte[] salt = FromB64(parts[4]), expected = FromB64(parts[5]);
                return expected.Length >= 16 && CryptographicOperations.FixedTimeEquals(
                    expected, Argon2id(password, salt, m, t, p, expected.Length));
            }

            if (stored.StartsWith(Pbkdf2Prefix, StringComparison.Ordinal) && parts.Length == 5
                && parts[2].StartsWith("i=", StringComparison.Ordinal)
                && int.TryParse(parts[2].AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out int i)
                && i is > 0 and <= MaxIterations)
            {
                byte[] salt = FromB64(parts[3]), expected = FromB64(parts[4]);
                return expected.Length >= 16 && CryptographicOperations.FixedTimeEquals(
                    expected, Pbkdf2(password, salt, i, expected.Length));
            }
        }
        catch (FormatException)
        {
            return false;
        }

        return false;
    }

    /// <summary>Checks the syntax of a configured hash; null when usable, else the problem.</summary>
    public static string? Check(string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        string[] parts = stored.Split('$');
        if (stored.StartsWith(Argon2idPrefix, StringComparison.Ordinal))
        {
            return parts.Length == 6 && parts[2] == "v=19" && TryArgon2Parameters(parts[3], out _, out _, out _)
                && IsB64(parts[4]) && IsB64(parts[5])
                ? null
                : "expected $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt base64>$<hash base64>";
        }

        if (stored.StartsWith(Pbkdf2Prefix, StringComparison.Ordinal))
        {
            return parts.Length == 5 && parts[2].StartsWith("i=", StringComparison.Ordinal)
                && int.TryParse(parts[2].AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out int i)
                && i is > 0 and <= MaxIterations && IsB64(parts[3]) && IsB64(parts[4])
                ? null
                : "expected $pbkdf2-sha256$i=<iterations>$<salt base64>$<hash base64>";
        }

        return "not a password hash: use `hash-password` to make one ($argon2id$... or $pbkdf2-sha256$...)";
    }

    private static byte[] Argon2id(string password, byte[] salt, int memoryKiB, int iterations, int parallelism, int length)
    {
        using var argon = new Argon2id(Encoding.UTF8.GetBytes(password))
        {
            Salt = salt,
            MemorySize = memoryKiB,
            Iterations = iterations,
            DegreeOfParallelism = parallelism,
        };
        return argon.GetBytes(length);
    }

    private static byte[] Pbkdf2(string password, byte[] salt, int iterations, int length) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, length);

    private static bool TryArgon2Parameters(string text, out int memoryKiB, out int iterations, out int parallelism)
    {
        memoryKiB = iterations = parallelism = 0;
        foreach (string pair in text.Split(','))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq < 1 || !int.TryParse(pair.AsSpan(eq + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int value))
            {
                return false;
            }

            switch (pair[..eq])
            {
                case "m": memoryKiB = value; break;
                case "t": iterations = value; break;
                case "p": parallelism = value; break;
                default: return false;
            }
        }

        return memoryKiB is >= 8 and <= MaxArgon2MemoryKiB && iterations is >= 1 and <= 100 && parallelism is >= 1 and <= 16
            && memoryKiB >= 8 * parallelism;
    }

    private static string FormatArgon2id(int m, int t, int p, byte[] salt, byte[] hash) =>
        string.Create(CultureInfo.InvariantCulture, $"{Argon2idPrefix}v=19$m={m},t={t},p={p}${ToB64(salt)}${ToB64(hash)}");

    private static string FormatPbkdf2(int iterations, byte[] salt, byte[] hash) =>
        string.Create(CultureInfo.InvariantCulture, $"{Pbkdf2Prefix}i={iterations}${ToB64(salt)}${ToB64(hash)}");

    private static string ToB64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=');

    private static byte[] FromB64(string text) => Convert.FromBase64String(text.PadRight(text.Length + ((4 - (text.Length % 4)) % 4), '='));

    private static bool IsB64(string text)
    {
        try
        {
            return FromB64(text).Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
