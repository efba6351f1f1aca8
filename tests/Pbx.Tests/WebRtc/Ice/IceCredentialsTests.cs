using Telephony.Pbx.WebRtc.Ice;

namespace Telephony.Pbx.Tests.WebRtc.Ice;

public sealed class IceCredentialsTests
{
    [Fact]
    public void Generated_credentials_have_the_minimum_lengths_and_only_ice_chars()
    {
        for (var i = 0; i < 200; i++)
        {
            var c = IceCredentials.Generate();
            Assert.True(c.Ufrag.Length >= IceCredentials.MinUfragLength);
            Assert.True(c.Password.Length >= IceCredentials.MinPasswordLength);
            Assert.Matches("^[A-Za-z0-9+/]+$", c.Ufrag);
            Assert.Matches("^[A-Za-z0-9+/]+$", c.Password);
        }
    }

    [Fact]
    public void Generated_credentials_differ_each_time()
    {
        var set = new HashSet<string>();
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(set.Add(IceCredentials.Generate().Password));
        }
    }

    [Theory]
    [InlineData("abc", false)]       // shorter than 4
    [InlineData("abcd", true)]
    [InlineData("ab:d", false)]      // ':' separates the USERNAME halves and is not an ice-char
    [InlineData("a+/Z", true)]
    [InlineData("ab d", false)]
    public void Ufrag_validation(string ufrag, bool valid) => Assert.Equal(valid, IceCredentials.IsValidUfrag(ufrag));

    [Theory]
    [InlineData("123456789012345678901", false)] // 21
    [InlineData("1234567890123456789012", true)] // 22
    [InlineData("12345678901234567890=2", false)]
    public void Password_validation(string pwd, bool valid) => Assert.Equal(valid, IceCredentials.IsValidPassword(pwd));

    [Fact]
    public void Invalid_values_are_refused_and_the_password_is_not_printed()
    {
        Assert.Throws<ArgumentException>(() => new IceCredentials("ab", "1234567890123456789012"));
        Assert.Throws<ArgumentException>(() => new IceCredentials("abcd", "short"));
        var c = new IceCredentials("abcd", "1234567890123456789012");
        Assert.DoesNotContain(c.Password, c.ToString(), StringComparison.Ordinal);
    }
}
