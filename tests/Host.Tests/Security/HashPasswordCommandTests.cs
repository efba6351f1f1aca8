using Telephony.Host.Security;

namespace Telephony.Host.Tests.Security;

public class HashPasswordCommandTests
{
    private static (int Code, string Out, string Err) Run(string input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = HashPasswordCommand.Run(args, new StringReader(input), output, error, interactive: false);
        return (code, output.ToString().Trim(), error.ToString());
    }

    [Fact]
    public void Prints_an_argon2id_hash_of_the_password_on_stdin()
    {
        (int code, string hash, _) = Run("passadmin\n");
        Assert.Equal(0, code);
        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", hash, StringComparison.Ordinal);
        Assert.True(PasswordHasher.Verify(hash, "passadmin"));
    }

    [Fact]
    public void Pbkdf2_on_request()
    {
        (int code, string hash, _) = Run("passadmin\n", "--pbkdf2");
        Assert.Equal(0, code);
        Assert.StartsWith("$pbkdf2-sha256$i=600000$", hash, StringComparison.Ordinal);
        Assert.True(PasswordHasher.Verify(hash, "passadmin"));
    }

    [Fact]
    public void Ha1_is_md5_of_user_realm_password()
    {
        // printf '1001:telephony:pass1001' | md5sum
        var result = Run("pass1001\n", "--ha1", "1001");
        Assert.Equal((0, "3765fe9fc289dec18cffcdbf8ab21474"), (result.Code, result.Out));
        Assert.Equal(HashPasswordCommand.Ha1("1001", "other", "pass1001"), Run("pass1001\n", "--ha1", "1001", "--realm", "other").Out);
    }

    [Fact]
    public void Empty_password_and_unknown_options_fail()
    {
        Assert.Equal(1, Run("\n").Code);
        Assert.Equal(2, Run("x\n", "--md5").Code);
    }
}
