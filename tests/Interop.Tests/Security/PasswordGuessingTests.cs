using System.Globalization;

namespace Telephony.Interop.Tests.Security;

/// <summary>
/// Password guessing against the real server with svcrack (sipvicious), from 127.0.0.1, while a legitimate phone
/// (SIPp with digest) registers from 127.0.0.3: the fifth wrong password bans the scanner's address, so a 300-word
/// dictionary with the right password late in it does not find it, and the phone registers during and after the
/// attack. Controls: the same tool finds a password early in the list (so it works against this server), and finds the
/// late one from a trusted network (sip.trustedNetworks set through the environment).
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class PasswordGuessingTests(ITestOutputHelper output)
{
    private const string User = "1001";
    private const string Password = "pass1001";
    private const string PhoneAddress = "127.0.0.3";
    private readonly PortBlock ports = PortAllocator.For<PasswordGuessingTests>();

    [Fact]
    public async Task Svcrack_With300Words_IsBannedBeforeTheRightPassword_WhileThePhoneRegistersFromAnotherAddress()
    {
        await using ServerProcess server = await StartAsync(null);
        string dir = RepoPaths.NewTempDirectory("svcrack");
        string dictionary = SipVicious.Dictionary(dir, 300, Password, position: 250);

        // The phone registers ten times at 2/s, starting with the attack, then once more after it.
        await using SippProcess phone = SippProcess.Start(SippPhone.Register(server, User, Password, PhoneAddress,
            ports.PeerSip(1), ports.PeerMedia(1), registrations: 10, perSecond: 2));
        var (text, exited, took) = await SipVicious.RunAsync("svcrack", SipVicious.Svcrack(server, User, dictionary, ports.PeerSip(2)),
            TimeSpan.FromSeconds(40), output);
        SippResult during = await phone.WaitAsync();

        Assert.False(text.Contains(Password, StringComparison.Ordinal), $"svcrack found the password:\n{text}\n{server.Describe()}");
        Assert.True(exited && text.Contains("found nothing", StringComparison.Ordinal), $"svcrack ({took.TotalSeconds:0.0} s):\n{text}");
        var failures = server.Log.Matching($"authentication failed for user '{User}'").Count;
        Assert.True(failures is >= 5 and <= 6, $"{failures} passwords were checked before the ban\n{server.Describe()}");
        Assert.True(server.Log.Contains("SIP source 127.0.0.1 banned for 60 s"), "no ban logged\n" + server.Describe());
        Assert.True(during.Succeeded && SippPhone.Registered(during) == 10, SippPhone.Describe(during) + "\n" + server.Describe());

        SippResult after = await Sipp.RunAsync(SippPhone.Register(server, User, Password, PhoneAddress, ports.PeerSip(3),
            ports.PeerMedia(2)));
        Assert.True(after.Succeeded && SippPhone.Registered(after) == 1, SippPhone.Describe(after) + "\n" + server.Describe());

        // The scanner's address gets no answer at all now; another loopback address does.
        using var banned = new RawSipClient(server.SipEndPoint, ports.PeerSip(4));
        Assert.Null(await banned.OptionsAsync(TimeSpan.FromSeconds(1)));
        using var other = new RawSipClient(server.SipEndPoint, ports.PeerSip(5), "127.0.0.5");
        Assert.Equal(200, SipText.StatusCode(await other.OptionsAsync(TimeSpan.FromSeconds(2)) ?? "none"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"svcrack: {failures} passwords checked, stopped after {took.TotalSeconds:0.0} s; phone 10/10 during, 1/1 after"));
    }

    [Fact]
    public async Task Svcrack_FindsAPasswordEarlyInTheList_SoItIsTheBanThatStopsIt()
    {
        await using ServerProcess server = await StartAsync(null);
        string dictionary = SipVicious.Dictionary(RepoPaths.NewTempDirectory("svcrack"), 300, Password, position: 3);
        var (text, exited, _) = await SipVicious.RunAsync("svcrack", SipVicious.Svcrack(server, User, dictionary, ports.PeerSip(2)),
            TimeSpan.FromSeconds(40), output);
        Assert.True(exited && text.Contains(Password, StringComparison.Ordinal),
            $"svcrack should find a password at position 3 (2 failures, under the limit):\n{text}\n{server.Describe()}");
        Assert.False(server.Log.Contains("banned for"), server.Describe());
    }

    [Fact]
    public async Task Svcrack_FromATrustedNetwork_IsNeverBanned()
    {
        await using ServerProcess server = await StartAsync(new Dictionary<string, string?>
        {
            ["TELEPHONY_SIP__TRUSTEDNETWORKS__0"] = "127.0.0.0/30",
        });
        string dictionary = SipVicious.Dictionary(RepoPaths.NewTempDirectory("svcrack"), 300, Password, position: 250);
        var (text, exited, took) = await SipVicious.RunAsync("svcrack", SipVicious.Svcrack(server, User, dictionary, ports.PeerSip(2)),
            TimeSpan.FromSeconds(40), output);
        Assert.True(exited && text.Contains(Password, StringComparison.Ordinal),
            $"from a trusted network svcrack is never banned and goes through the whole list ({took.TotalSeconds:0.0} s):\n" +
            $"{text}\n{server.Describe()}");
        Assert.False(server.Log.Contains("banned for"), server.Describe());
        Assert.True(server.Log.Matching($"authentication failed for user '{User}'").Count >= 249, server.Describe());
    }

    [Fact]
    public async Task BanAction403_BannedSourceGets403WithoutAChallenge_OthersAreChallenged()
    {
        await using ServerProcess server = await StartAsync(new Dictionary<string, string?> { ["TELEPHONY_SIP__BANACTION"] = "403" });
        using var attacker = new RawSipClient(server.SipEndPoint, ports.PeerSip(2));
        for (var i = 0; i < 5; i++)
        {
            var answers = await attacker.RegisterAsync(User, "guess" + i, 60);
            Assert.True(answers.Count == 2 && SipText.StatusCode(answers[1]) == 403,
                $"guess {i}: {string.Join(" / ", answers.Select(SipText.StartLine))}\n{server.Describe()}");
        }

        var refused = await attacker.RegisterAsync(User, Password, 60);
        Assert.True(refused.Count == 1 && SipText.StatusCode(refused[0]) == 403 && SipText.Header(refused[0], "WWW-Authenticate") is null,
            $"banned source, even with the right password: {string.Join(" / ", refused.Select(SipText.StartLine))}\n{server.Describe()}");
        Assert.Equal(403, SipText.StatusCode(await attacker.OptionsAsync(TimeSpan.FromSeconds(2)) ?? "none"));

        using var phone = new RawSipClient(server.SipEndPoint, ports.PeerSip(3), PhoneAddress);
        var ok = await phone.RegisterAsync(User, Password, 60);
        Assert.True(ok.Count == 2 && SipText.StatusCode(ok[1]) == 200,
            $"the real user from another address: {string.Join(" / ", ok.Select(SipText.StartLine))}\n{server.Describe()}");
    }

    private async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string?>? environment)
    {
        return await ServerProcess.StartReadyAsync(ports, output, environment);
    }
}
