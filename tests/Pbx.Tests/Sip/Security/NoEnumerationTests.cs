using System.Text;
using System.Text.RegularExpressions;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Tests.Sip.Security;

/// <summary>
/// A scanner cannot tell which extensions exist: for REGISTER and INVITE, with and without credentials, an unknown user
/// gets exactly what a known user with a wrong password gets (status line, header names in order, header values once
/// the user name, tags, branch, Call-ID and nonce are blanked). Legitimate users keep the README's behaviour.
/// </summary>
public sealed partial class NoEnumerationTests : IAsyncLifetime
{
    private const string Source = "203.0.113.20";
    private SecurityTestServer _server = null!;

    public Task InitializeAsync()
    {
        // No bans in these tests: they compare answers, not the brute-force protection.
        _server = new SecurityTestServer(o => o.AuthFailureLimit = 0);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Register_without_credentials_known_and_unknown_aor_get_the_same_401()
    {
        var known = await _server.SendAsync(_server.Register("1001", Source), Source);
        var unknown = await _server.SendAsync(_server.Register("1099", Source), Source);
        Assert.Equal(401, known?.StatusCode);
        AssertSameShape(known!, unknown);
    }

    [Fact]
    public async Task Register_with_wrong_password_and_with_credentials_of_an_unknown_user_get_the_same_403()
    {
        var known = await _server.RegisterWithPasswordAsync("1001", Source, "guess");
        var unknown = await _server.RegisterWithPasswordAsync("1099", Source, "guess");
        var unknownRightLooking = await _server.RegisterWithPasswordAsync("1099", Source, "pass1099");
        Assert.Equal(403, known?.StatusCode);
        AssertSameShape(known!, unknown);
        AssertSameShape(known!, unknownRightLooking);
    }

    [Fact]
    public async Task Register_with_valid_credentials_for_another_aor_known_or_not_gets_the_same_403()
    {
        var known = await _server.RegisterWithPasswordAsync("1002", Source, "pass1001", user: "1001");
        var unknown = await _server.RegisterWithPasswordAsync("1099", Source, "pass1001", user: "1001");
        Assert.Equal(403, known?.StatusCode);
        AssertSameShape(known!, unknown);
    }

    [Fact]
    public async Task Invite_without_credentials_from_known_and_unknown_callers_to_known_and_unknown_numbers_get_the_same_407()
    {
        var reference = await _server.SendAsync(_server.Invite("1001", "1002", Source), Source);
        Assert.Equal(407, reference?.StatusCode);
        foreach (var (caller, dialed) in new[] { ("1099", "1002"), ("1001", "5555"), ("1099", "5555"), ("1001", "9000") })
        {
            AssertSameShape(reference!, await _server.SendAsync(_server.Invite(caller, dialed, Source), Source));
        }
    }

    [Fact]
    public async Task Invite_with_wrong_password_and_with_an_unknown_user_get_the_same_403()
    {
        var known = await _server.InviteWithPasswordAsync("1001", "9000", Source, "guess");
        var unknown = await _server.InviteWithPasswordAsync("1099", "9000", Source, "guess");
        var unknownToUnknown = await _server.InviteWithPasswordAsync("1099", "5555", Source, "guess");
        Assert.Equal(403, known?.StatusCode);
        AssertSameShape(known!, unknown);
        AssertSameShape(known!, unknownToUnknown);
    }

    [Fact]
    public async Task Legitimate_behaviour_is_unchanged()
    {
        Assert.Equal(200, (await _server.RegisterWithPasswordAsync("1001", Source, "pass1001"))?.StatusCode);
        // An authenticated caller learns that a number does not exist; a scanner never gets this far.
        Assert.Equal(404, (await _server.InviteWithPasswordAsync("1001", "5555", Source, "pass1001"))?.StatusCode);
        // The trunk needs no credentials.
        Assert.Equal(404, (await _server.SendAsync(_server.Invite("+15550000001", "5555", "127.0.0.2"), "127.0.0.2"))?.StatusCode);
        Assert.Equal(200, (await _server.SendAsync(_server.Options(Source), Source))?.StatusCode);
    }

    /// <summary>Status line, then every header in order with per-request values blanked.</summary>
    internal static string Shape(SipResponse response)
    {
        var sb = new StringBuilder().Append(response.StatusCode).Append(' ').Append(response.ReasonPhrase).Append('\n');
        foreach (var (name, value) in response.Headers)
        {
            var v = name.Equals(HeaderName.CallId, StringComparison.OrdinalIgnoreCase) ? "*" : value;
            v = Blanks().Replace(v, m => m.Groups["k"].Value + "*");
            sb.Append(name).Append(": ").Append(v).Append('\n');
        }
        return sb.ToString();
    }

    internal static void AssertSameShape(SipResponse expected, SipResponse? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(Shape(expected), Shape(actual));
    }

    [GeneratedRegex("(?<k>branch=|tag=|nonce=\"|sip:)[^;\"@>, ]+")]
    private static partial Regex Blanks();
}
