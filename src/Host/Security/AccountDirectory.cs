using Microsoft.Extensions.Configuration;

namespace Telephony.Host.Security;

/// <summary>
/// Console accounts from the configuration: every extension (<c>extensions[].number</c>, its <c>password</c>, or
/// <c>passwordHash</c> when set, and its <c>role</c>: agent, supervisor, admin; <c>user</c> extensions have no console
/// access) and the HTTP-only accounts of <c>accounts[]</c> (<c>user</c>, <c>password</c> or <c>passwordHash</c>,
/// <c>role</c>). User names are case-sensitive.
/// </summary>
public sealed class AccountDirectory
{
    private readonly Dictionary<string, ConsoleAccount> _accounts;

    public AccountDirectory(IEnumerable<ConsoleAccount> accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        _accounts = new Dictionary<string, ConsoleAccount>(StringComparer.Ordinal);
        foreach (ConsoleAccount a in accounts)
        {
            _accounts.TryAdd(a.User, a);
        }
    }

    public IReadOnlyCollection<ConsoleAccount> Accounts => _accounts.Values;

    /// <summary>The account called <paramref name="user"/>, or null.</summary>
    public ConsoleAccount? Find(string? user) => user is not null && _accounts.TryGetValue(user, out ConsoleAccount? a) ? a : null;

    /// <summary>Reads the accounts from <paramref name="configuration"/>; <paramref name="problems"/> names every invalid entry.</summary>
    public static AccountDirectory Load(IConfiguration configuration, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var list = new List<ConsoleAccount>();
        var errors = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (IConfigurationSection e in configuration.GetSection("extensions").GetChildren())
        {
            string key = $"extensions[{e.Key}]";
            string number = e["number"] ?? "";
            if (number.Length == 0 || !seen.Add(number))
            {
                continue; // PbxOptions.Validate reports empty and duplicate numbers
            }

            string? role = ConsoleRoles.Parse(e["role"]);
            if (e["password"] is not { Length: > 0 } && e["passwordHash"] is not { Length: > 0 } &&
                (e["ha1"] is { Length: > 0 } || e["ha1Sha256"] is { Length: > 0 }))
            {
                continue; // only a SIP digest HA1: the extension has no console login until it gets a passwordHash
            }

            if (Secret(e, key, errors) is { } secret)
            {
                list.Add(new ConsoleAccount(number, role, secret.Value, secret.IsHash, e["name"]));
            }
        }

        foreach (IConfigurationSection a in configuration.GetSection("accounts").GetChildren())
        {
            string key = $"accounts[{a.Key}]";
            string user = a["user"] ?? "";
            if (user.Length == 0)
            {
                errors.Add($"{key}.user is empty");
                continue;
            }

            if (!seen.Add(user))
            {
                errors.Add($"{key}.user '{user}' is already an extension or account");
                continue;
            }

            if (ConsoleRoles.Parse(a["role"]) is not { } role)
            {
                errors.Add($"{key}.role '{a["role"]}' must be agent, supervisor or admin");
                continue;
            }

            if (Secret(a, key, errors) is { } secret)
            {
                list.Add(new ConsoleAccount(user, role, secret.Value, secret.IsHash, a["name"]));
            }
        }

        problems = errors;
        return new AccountDirectory(list);
    }

    private static (string Value, bool IsHash)? Secret(IConfigurationSection section, string key, List<string> errors)
    {
        if (section["passwordHash"] is { Length: > 0 } hash)
        {
            if (PasswordHasher.Check(hash) is { } problem)
            {
                errors.Add($"{key}.passwordHash: {problem}");
                return null;
            }

            return (hash, true);
        }

        if (section["password"] is { Length: > 0 } password)
        {
            return (password, false);
        }

        errors.Add($"{key} has no password or passwordHash");
        return null;
    }
}
