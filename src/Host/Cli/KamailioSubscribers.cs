using System.Globalization;
using System.Text;
using Microsoft.Extensions.Configuration;
using Telephony.Host.Configuration;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Sip.Registrar;

namespace Telephony.Host.Cli;

/// <summary>
/// <c>cluster kamailio-subscribers --output DIR</c>: writes Kamailio's <c>subscriber</c> table (db_text, read by
/// <c>auth_db</c> in <c>deploy/kamailio/kamailio.cfg</c>) from the extensions the nodes know, so that Kamailio, the
/// cluster's registrar, challenges REGISTER with the same credentials as a node (RFC 3261 §22, MD5 digest): user = the
/// extension number, <c>ha1</c> = MD5(number:realm:password) with <c>sip.realm</c>, or the extension's stored <c>ha1</c>.
/// No plaintext password is written. Extensions without a usable secret are skipped with a warning.
/// Exit 0 written, 1 invalid configuration, 3 the folder cannot be written.
/// </summary>
public static class KamailioSubscribers
{
    /// <summary>db_text's table version of <c>subscriber</c> expected by Kamailio 5.x's auth_db.</summary>
    public const int SubscriberTableVersion = 7;

    public static int Run(IReadOnlyList<string> serverArguments, string output, HostConsole console)
    {
        ArgumentNullException.ThrowIfNull(serverArguments);
        ArgumentNullException.ThrowIfNull(console);
        PbxOptions pbx;
        try
        {
            (IConfiguration configuration, _) = TelephonyConfiguration.Load([.. serverArguments]);
            pbx = TelephonyConfiguration.BindPbx(configuration);
        }
        catch (Exception ex) when (ex is ConfigurationFileException or InvalidOperationException or FormatException)
        {
            console.Error.WriteLine(ex.Message);
            return ExitCodes.Invalid;
        }

        var rows = new List<(string User, string Ha1)>();
        foreach (ExtensionOptions e in pbx.Extensions)
        {
            var secret = new SipSecret(string.IsNullOrEmpty(e.Password) ? null : e.Password, e.Ha1, e.Ha1Sha256);
            if (secret.Ha1(DigestAlgorithm.Md5, e.Number, pbx.Sip.Realm) is { } ha1)
            {
                rows.Add((e.Number, ha1));
            }
            else
            {
                console.Error.WriteLine($"extension {e.Number}: no password and no MD5 ha1: not written (it cannot register through Kamailio)");
            }
        }
        try
        {
            Directory.CreateDirectory(output);
            WriteAtomically(Path.Combine(output, "subscriber"), SubscriberTable(rows, pbx.Sip.Realm));
            WriteAtomically(Path.Combine(output, "version"),
                string.Create(CultureInfo.InvariantCulture, $"table_name(str) table_version(int)\nsubscriber:{SubscriberTableVersion}\n"));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            console.Error.WriteLine($"{output}: {ex.Message}");
            return ExitCodes.Failure;
        }
        console.Out.WriteLine($"{rows.Count} subscriber(s), realm {pbx.Sip.Realm}, written to {Path.GetFullPath(output)} (db_text)");
        return ExitCodes.Ok;
    }

    /// <summary>The db_text <c>subscriber</c> table: a header of typed columns, then one row per user (':' separated,
    /// ':' and '\' escaped with '\').</summary>
    public static string SubscriberTable(IEnumerable<(string User, string Ha1)> rows, string realm)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sb = new StringBuilder("id(int,auto) username(str) domain(str) password(str,null) ha1(str) ha1b(str,null)\n");
        int id = 1;
        foreach ((string user, string ha1) in rows)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{id++}:{Escape(user)}:{Escape(realm)}::{Escape(ha1)}:\n");
        }
        return sb.ToString();
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(":", "\\:", StringComparison.Ordinal);

    private static void WriteAtomically(string path, string content)
    {
        string temporary = path + ".new";
        File.WriteAllText(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
