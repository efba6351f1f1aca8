namespace Telephony.Interop.Tests.Engine;

/// <summary>
/// Digest authentication of REGISTER (RFC 3261 §22.4) with SHA-256 (RFC 8760, RFC 7616 §3.4) configured through
/// the environment, and nonces the server did not issue (RFC 7616 §3.3: a fresh challenge, not a refusal).
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class DigestTests(ITestOutputHelper output)
{
    private const string User = "1004";
    private readonly PortBlock ports = PortAllocator.For<DigestTests>();

    private static readonly Dictionary<string, string?> Sha256Only = new() { ["TELEPHONY_SIP__DIGESTALGORITHMS__0"] = "SHA-256" };

    [Fact]
    public async Task Sha256Server_ChallengesWithSha256_RightPassword200_WrongPassword403()
    {
        await using ServerProcess server = await StartAsync(Sha256Only);
        using var client = new RawSipClient(server.SipEndPoint, ports.PeerSip(0));

        List<string> ok = await client.RegisterAsync(User, Engine.Password(User), 120);
        string context = string.Join(" / ", ok.Select(SipText.StartLine)) + "\n" + server.Describe();
        Assert.True(ok.Count == 2, "expected 401 then 200: " + context);
        IReadOnlyList<string> challenges = SipText.Headers(ok[0], "WWW-Authenticate");
        Assert.True(challenges.Count == 1 && challenges[0].Contains("algorithm=SHA-256", StringComparison.OrdinalIgnoreCase),
            "expected one SHA-256 challenge: " + string.Join(" | ", challenges));
        Assert.True(SipText.StatusCode(ok[1]) == 200, "SHA-256 REGISTER with the right password: " + context);

        List<string> wrong = await client.RegisterAsync(User, "not-the-password", 120);
        context = string.Join(" / ", wrong.Select(SipText.StartLine)) + "\n" + server.Describe();
        Assert.True(wrong.Count == 2 && SipText.StatusCode(wrong[0]) == 401 && SipText.StatusCode(wrong[1]) == 403,
            "expected 401 then 403: " + context);
    }

    [Fact]
    public async Task Sha256Server_CredentialsComputedWithMd5_AreNotAccepted()
    {
        await using ServerProcess server = await StartAsync(Sha256Only);
        using var client = new RawSipClient(server.SipEndPoint, ports.PeerSip(0));
        string callId = RawSipClient.NewToken() + "@md5-downgrade";
        string tag = RawSipClient.NewToken();
        string? challenge = await client.RegisterOnceAsync(User, 120, null, callId, tag, 1);
        Assert.True(challenge is not null && SipText.StatusCode(challenge) == 401, "no 401 challenge\n" + server.Describe());

        string md5 = DigestAuth.Answer(SipText.Header(challenge!, "WWW-Authenticate")!, "REGISTER", "sip:127.0.0.1", User,
            Engine.Password(User), algorithm: "MD5");
        string? answer = await client.RegisterOnceAsync(User, 120, "Authorization: " + md5, callId, tag, 2);
        Assert.True(answer is not null, "no answer\n" + server.Describe());
        Assert.True(SipText.StatusCode(answer!) != 200,
            $"an MD5 response was accepted although only SHA-256 is configured: {SipText.StartLine(answer!)}\n{server.Describe()}");
        Assert.True(SipText.StatusCode(answer!) == 401, $"expected a new SHA-256 challenge, got {SipText.StartLine(answer!)}\n{server.Describe()}");
    }

    [Fact]
    public async Task NonceFromAnotherServerRun_Gets401WithFreshChallenge_NotForbidden()
    {
        string oldChallenge;
        string callId = RawSipClient.NewToken() + "@restart";
        string tag = RawSipClient.NewToken();
        await using (ServerProcess first = await StartAsync(null))
        {
            using var client = new RawSipClient(first.SipEndPoint, ports.PeerSip(0));
            string? challenge = await client.RegisterOnceAsync(User, 120, null, callId, tag, 1);
            Assert.True(challenge is not null && SipText.StatusCode(challenge) == 401, "no 401 from the first run\n" + first.Describe());
            oldChallenge = SipText.Header(challenge!, "WWW-Authenticate")!;
            Assert.Contains("MD5", oldChallenge, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(0, await first.StopAsync());
        }

        await using ServerProcess second = await StartAsync(null);
        using (var client = new RawSipClient(second.SipEndPoint, ports.PeerSip(0)))
        {
            string stale = DigestAuth.Answer(oldChallenge, "REGISTER", "sip:127.0.0.1", User, Engine.Password(User));
            string? answer = await client.RegisterOnceAsync(User, 120, "Authorization: " + stale, callId, tag, 2);
            Assert.True(answer is not null, "no answer to the old nonce\n" + second.Describe());
            Assert.True(SipText.StatusCode(answer!) == 401, $"an old run's nonce should be re-challenged, got {SipText.StartLine(answer!)}\n{second.Describe()}");
            string fresh = SipText.Header(answer!, "WWW-Authenticate")!;
            Assert.NotEqual(SipText.Parameter(oldChallenge, "nonce"), SipText.Parameter(fresh, "nonce"));

            string credentials = DigestAuth.Answer(fresh, "REGISTER", "sip:127.0.0.1", User, Engine.Password(User));
            string? ok = await client.RegisterOnceAsync(User, 120, "Authorization: " + credentials, callId, tag, 3);
            Assert.True(ok is not null && SipText.StatusCode(ok) == 200, $"the fresh challenge should work: {(ok is null ? "no answer" : SipText.StartLine(ok))}\n{second.Describe()}");
        }
    }

    private async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string?>? environment)
    {
        return await ServerProcess.StartReadyAsync(ports, output, environment);
    }
}
