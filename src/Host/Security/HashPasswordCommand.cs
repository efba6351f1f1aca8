using System.Security.Cryptography;
using System.Text;

namespace Telephony.Host.Security;

/// <summary>
/// <c>Telephony.Host hash-password [--pbkdf2] [--ha1 &lt;user&gt; [--realm &lt;realm&gt;]]</c>: reads a password (from the
/// terminal without echo, asked twice, or one line from standard input) and prints what goes into the configuration:
/// an Argon2id hash (default) or a PBKDF2-SHA256 hash for <c>passwordHash</c>, or with <c>--ha1</c> the SIP digest HA1
/// <c>MD5(user:realm:password)</c> (RFC 7616 §3.4.2; realm default <c>telephony</c>).
/// </summary>
public static class HashPasswordCommand
{
    public static int Run(string[] args, TextReader input, TextWriter output, TextWriter error, bool interactive)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var algorithm = PasswordHashAlgorithm.Argon2id;
        string? ha1User = null;
        string realm = "telephony";
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--pbkdf2":
                    algorithm = PasswordHashAlgorithm.Pbkdf2Sha256;
                    break;
                case "--argon2id":
                    algorithm = PasswordHashAlgorithm.Argon2id;
                    break;
                case "--ha1" when i + 1 < args.Length:
                    ha1User = args[++i];
                    break;
                case "--realm" when i + 1 < args.Length:
                    realm = args[++i];
                    break;
                default:
                    error.WriteLine("usage: hash-password [--argon2id | --pbkdf2] [--ha1 <user> [--realm <realm>]]  (password on stdin)");
                    return 2;
            }
        }

        string? password;
        if (interactive)
        {
            password = ReadHidden(error, "Password: ");
            if (ReadHidden(error, "Again: ") != password)
            {
                error.WriteLine("The passwords differ.");
                return 1;
            }
        }
        else
        {
            password = input.ReadLine();
        }

        if (string.IsNullOrEmpty(password))
        {
            error.WriteLine("Empty password.");
            return 1;
        }

        output.WriteLine(ha1User is null ? PasswordHasher.Hash(password, algorithm) : Ha1(ha1User, realm, password));
        return 0;
    }

    /// <summary>SIP digest HA1, lower-case hex MD5 of <c>user:realm:password</c> (RFC 7616 §3.4.2, RFC 2617).</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5351:Do Not Use Broken Cryptographic Algorithms",
        Justification = "SIP digest (RFC 7616 MD5 algorithm) is defined on MD5; this is what phones compute")]
    public static string Ha1(string user, string realm, string password) =>
        Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes($"{user}:{realm}:{password}")));

    private static string ReadHidden(TextWriter prompt, string text)
    {
        prompt.Write(text);
        var chars = new StringBuilder();
        while (true)
        {
            ConsoleKeyInfo key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                prompt.WriteLine();
                return chars.ToString();
            }

            if (key.Key == ConsoleKey.Backspace)
            {
                if (chars.Length > 0)
                {
                    chars.Length--;
                }
            }
            else if (!char.IsControl(key.KeyChar))
            {
                chars.Append(key.KeyChar);
            }
        }
    }
}
