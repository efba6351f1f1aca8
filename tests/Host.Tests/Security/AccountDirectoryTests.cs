using Microsoft.Extensions.Configuration;
using Telephony.Host.Security;

namespace Telephony.Host.Tests.Security;

public class AccountDirectoryTests
{
    private const string Hash = "$pbkdf2-sha256$i=1$c2FsdA$VawEblbjCJ/sFpHCJUS2BflBhSFt3gRl5oudV8INrLw";

    private static IConfiguration Config(params (string Key, string Value)[] pairs) =>
        new ConfigurationBuilder().AddInMemoryCollection(pairs.Select(p => new KeyValuePair<string, string?>(p.Key, p.Value))).Build();

    [Fact]
    public void Extensions_log_in_with_number_password_and_role_and_accounts_are_console_only()
    {
        AccountDirectory directory = AccountDirectory.Load(Config(
            ("extensions:0:number", "1001"), ("extensions:0:password", "pass1001"), ("extensions:0:role", "agent"),
            ("extensions:1:number", "2001"), ("extensions:1:password", "pass2001"), ("extensions:1:role", "Supervisor"),
            ("extensions:2:number", "3001"), ("extensions:2:password", "pass3001"), ("extensions:2:role", "user"),
            ("extensions:3:number", "1002"), ("extensions:3:password", "pass1002"), ("extensions:3:passwordHash", Hash), ("extensions:3:role", "agent"),
            ("accounts:0:user", "admin"), ("accounts:0:password", "passadmin"), ("accounts:0:role", "admin")), out var problems);

        Assert.Empty(problems);
        Assert.Equal(new ConsoleAccount("1001", "agent", "pass1001", false, null), directory.Find("1001"));
        Assert.Equal("supervisor", directory.Find("2001")!.Role);
        Assert.Null(directory.Find("3001")!.Role); // role user: no console access
        Assert.Equal((Hash, true), (directory.Find("1002")!.Secret, directory.Find("1002")!.SecretIsHash)); // hash wins
        Assert.Equal("admin", directory.Find("admin")!.Role);
        Assert.Null(directory.Find("ADMIN")); // names are case-sensitive
        Assert.Null(directory.Find(null));
        Assert.DoesNotContain("passadmin", directory.Find("admin")!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_accounts_are_named_in_the_problems()
    {
        AccountDirectory.Load(Config(
            ("extensions:0:number", "1001"), ("extensions:0:password", "pass1001"), ("extensions:0:role", "agent"),
            ("accounts:0:user", "1001"), ("accounts:0:password", "x"), ("accounts:0:role", "admin"),
            ("accounts:1:user", "ops"), ("accounts:1:password", "x"), ("accounts:1:role", "root"),
            ("accounts:2:user", "nopass"), ("accounts:2:role", "admin"),
            ("accounts:3:user", "badhash"), ("accounts:3:passwordHash", "secret"), ("accounts:3:role", "admin"),
            ("accounts:4:password", "x"), ("accounts:4:role", "admin")), out var problems);

        Assert.Equal(5, problems.Count);
        Assert.Contains("accounts[0].user '1001' is already an extension or account", problems);
        Assert.Contains("accounts[1].role 'root' must be agent, supervisor or admin", problems);
        Assert.Contains("accounts[2] has no password or passwordHash", problems);
        Assert.Contains(problems, p => p.StartsWith("accounts[3].passwordHash: not a password hash", StringComparison.Ordinal));
        Assert.Contains("accounts[4].user is empty", problems);
    }

    [Fact]
    public void The_sample_configuration_has_the_documented_accounts()
    {
        string config = Path.Combine(RepoRoot(), "config");
        IConfiguration configuration = new ConfigurationBuilder()
            .Add(new Telephony.Host.Configuration.YamlConfigurationSource(Path.Combine(config, "extensions.yaml"), optional: false))
            .Build();
        AccountDirectory directory = AccountDirectory.Load(configuration, out var problems);

        Assert.Empty(problems);
        Assert.Equal(["1001 agent", "1002 agent", "1003 agent", "1004 agent", "2001 supervisor", "admin admin"],
            directory.Accounts.Select(a => $"{a.User} {a.Role}").Order(StringComparer.Ordinal));
        Assert.All(directory.Accounts, a => Assert.Equal("pass" + a.User, a.Secret));
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Telephony.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found");
    }
}
