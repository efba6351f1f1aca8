using Telephony.Host.Security;

namespace Telephony.Host.Tests.Security;

public class PasswordHasherTests
{
    [Fact]
    public void Verifies_argon2id_hashes_made_by_the_reference_implementation()
    {
        // echo -n pass2001 | argon2 somesaltsomesalt -id -t 2 -k 64 -p 1 -l 32 -e   (Debian package argon2, PHC reference)
        Assert.True(PasswordHasher.Verify("$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$QGcEEZlDkR5xXEo0fg5o2d2fc/t59W3ybmE7sNiRJ9k", "pass2001"));
        Assert.False(PasswordHasher.Verify("$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$QGcEEZlDkR5xXEo0fg5o2d2fc/t59W3ybmE7sNiRJ9k", "pass2002"));
        // echo -n password | argon2 somesalt -id -t 2 -m 16 -p 4 -l 32 -e   (64 MiB, 4 lanes)
        Assert.True(PasswordHasher.Verify("$argon2id$v=19$m=65536,t=2,p=4$c29tZXNhbHQ$GpZ3sK/oH9p7VIiV56G/64Zo/8GaUw434IimaPqxwCo", "password"));
    }

    [Fact]
    public void Pbkdf2_matches_the_RFC_7914_PBKDF2_HMAC_SHA256_vector()
    {
        // RFC 7914 §11: PBKDF2-HMAC-SHA256 (P="passwd", S="salt", c=1): the first 32 bytes of the 64-byte output.
        byte[] expected = Convert.FromHexString("55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
        string hash = PasswordHasher.HashPbkdf2("passwd", "salt"u8.ToArray(), 1);
        Assert.Equal("$pbkdf2-sha256$i=1$c2FsdA$" + Convert.ToBase64String(expected).TrimEnd('='), hash);
        Assert.True(PasswordHasher.Verify(hash, "passwd"));
        Assert.False(PasswordHasher.Verify(hash, "passwe"));
    }

    [Fact]
    public void Hash_makes_a_salted_PHC_string_with_the_default_parameters_that_verifies()
    {
        string a = PasswordHasher.Hash("pass1001");
        string b = PasswordHasher.Hash("pass1001");
        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", a, StringComparison.Ordinal);
        Assert.NotEqual(a, b); // new salt every time
        Assert.True(PasswordHasher.Verify(a, "pass1001"));
        Assert.False(PasswordHasher.Verify(a, "pass1002"));
        Assert.True(PasswordHasher.IsHash(a));
        Assert.Null(PasswordHasher.Check(a));
    }

    [Fact]
    public void Pbkdf2_default_uses_600000_iterations()
    {
        string hash = PasswordHasher.Hash("x", PasswordHashAlgorithm.Pbkdf2Sha256);
        Assert.StartsWith("$pbkdf2-sha256$i=600000$", hash, StringComparison.Ordinal);
        Assert.True(PasswordHasher.Verify(hash, "x"));
    }

    [Theory]
    [InlineData("pass1001")]
    [InlineData("")]
    [InlineData("$argon2id$")]
    [InlineData("$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHQ")]
    [InlineData("$argon2id$v=18$m=64,t=2,p=1$c29tZXNhbHQ$QGcEEZlDkR5xXEo0fg5o2d2fc/t59W3ybmE7sNiRJ9k")]
    [InlineData("$argon2id$v=19$m=99999999,t=2,p=1$c29tZXNhbHQ$QGcEEZlDkR5xXEo0fg5o2d2fc/t59W3ybmE7sNiRJ9k")]
    [InlineData("$argon2id$v=19$m=64,t=2,x=1$c29tZXNhbHQ$QGcEEZlDkR5xXEo0fg5o2d2fc/t59W3ybmE7sNiRJ9k")]
    [InlineData("$argon2id$v=19$m=64,t=2,p=1$not*base64$QGcEEZlDkR5xXEo0fg5o2d2fc/t59W3ybmE7sNiRJ9k")]
    [InlineData("$pbkdf2-sha256$i=0$c2FsdA$VawEblbjCJ/sFpHCJUS2BflBhSFt3gRl5oudV8INrLw")]
    [InlineData("$pbkdf2-sha256$i=99999999999$c2FsdA$VawEblbjCJ/sFpHCJUS2BflBhSFt3gRl5oudV8INrLw")]
    [InlineData("$pbkdf2-sha256$c2FsdA$VawEblbjCJ/sFpHCJUS2BflBhSFt3gRl5oudV8INrLw")]
    [InlineData("$bcrypt$whatever")]
    public void Malformed_hashes_are_refused_by_Check_and_never_verify(string stored)
    {
        Assert.NotNull(PasswordHasher.Check(stored));
        Assert.False(PasswordHasher.Verify(stored, "pass1001"));
    }
}
