using System.Globalization;

namespace Telephony.Interop.Tests.Security;

/// <summary>
/// No enumeration, against the real server: for every extension number 1000–1010 (1001–1004 exist), REGISTER and
/// INVITE, without credentials and with a wrong password, get the same status line, the same headers in the same
/// order and (within noise) the same response time; and svwar, over the same range with every method it knows,
/// reports nothing, with the same output for existing and non-existing numbers.
/// </summary>
[Collection(PeersCollection.Name)]
public sealed class NoEnumerationTests(ITestOutputHelper output)
{
    private static readonly string[] Known = ["1001", "1002", "1003", "1004"];
    private static readonly string[] Unknown = ["1000", "1005", "1006", "1007", "1008", "1009", "1010"];
    private readonly PortBlock ports = PortAllocator.For<NoEnumerationTests>();

    /// <summary>Bans off: this test sends hundreds of wrong passwords on purpose, to compare the answers.</summary>
    private static readonly Dictionary<string, string?> NoBans = new() { ["TELEPHONY_SIP__AUTHFAILURELIMIT"] = "0" };

    [Fact]
    public async Task KnownAndUnknownExtensions_GetIdenticalAnswers_InTheSameTime()
    {
        await using ServerProcess server = await StartAsync(NoBans);
        using var client = new RawSipClient(server.SipEndPoint, ports.PeerSip(0));
        var probe = new SipProbe(client);
        var kinds = new (string Method, string? Password, int Status)[]
        {
            ("REGISTER", null, 401), ("REGISTER", "wrong-password", 403), ("INVITE", null, 407), ("INVITE", "wrong-password", 403),
        };

        foreach (var (method, password, status) in kinds)
        {
            var label = $"{method} {(password is null ? "without credentials" : "with a wrong password")}";
            var (reference, _) = await probe.SendAsync(method, "1001", password);
            Assert.True(SipText.StatusCode(reference) == status, $"{label}: {SipText.StartLine(reference)}\n{server.Describe()}");
            foreach (var user in Known.Concat(Unknown))
            {
                var (response, _) = await probe.SendAsync(method, user, password);
                Assert.True(SipProbe.Shape(reference) == SipProbe.Shape(response),
                    $"{label}: {user} is answered differently from 1001:\n{SipProbe.Shape(response)}\nvs\n{SipProbe.Shape(reference)}");
            }

            // Timing: alternate a known and an unknown user, 60 rounds, compare medians.
            var known = new List<double>();
            var unknown = new List<double>();
            for (var i = 0; i < 60; i++)
            {
                known.Add((await probe.SendAsync(method, Known[i % Known.Length], password)).Took.TotalMilliseconds);
                unknown.Add((await probe.SendAsync(method, Unknown[i % Unknown.Length], password)).Took.TotalMilliseconds);
            }
            double mk = Median(known), mu = Median(unknown);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{label}: median known {mk:0.000} ms, unknown {mu:0.000} ms (p90 {P90(known):0.000} / {P90(unknown):0.000} ms)"));
            Assert.True(Math.Abs(mk - mu) < Math.Max(1.0, 0.5 * Math.Min(mk, mu)),
                string.Create(CultureInfo.InvariantCulture, $"{label}: median response time known {mk:0.000} ms vs unknown {mu:0.000} ms"));
        }
    }

    [Fact]
    public async Task Svwar_OverExtensions1000To1010_FindsNothing_WithAnyMethod()
    {
        await using ServerProcess server = await StartAsync(null);
        var runs = new List<(string Name, string[] Args)>
        {
            ("REGISTER", SipVicious.Svwar(server, "1000-1010", ports.PeerSip(1), force: false)),
            ("REGISTER --force", SipVicious.Svwar(server, "1000-1010", ports.PeerSip(2))),
            ("INVITE --force", SipVicious.Svwar(server, "1000-1010", ports.PeerSip(3), method: "INVITE")),
            ("OPTIONS --force", SipVicious.Svwar(server, "1000-1010", ports.PeerSip(4), method: "OPTIONS")),
        };
        foreach (var (name, args) in runs)
        {
            var (text, exited, took) = await SipVicious.RunAsync("svwar", args, TimeSpan.FromSeconds(30), output);
            Assert.True(exited, $"svwar {name} did not finish in 30 s:\n{text}");
            Assert.True(SipVicious.ReportedExtensions(text).Count == 0, $"svwar {name} learned extensions:\n{text}");
            Assert.True(text.Contains("found nothing", StringComparison.Ordinal), $"svwar {name}:\n{text}\n{server.Describe()}");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"svwar {name}: {took.TotalSeconds:0.0} s, found nothing"));
        }

        // Existing and non-existing numbers, one at a time: svwar's output is the same, whatever the number.
        string? first = null;
        var port = ports.PeerSip(5);
        foreach (var extension in new[] { "1001", "1005", "1004", "1010" })
        {
            var args = SipVicious.Svwar(server, extension, port++);
            var (text, _, _) = await SipVicious.RunAsync("svwar", args, TimeSpan.FromSeconds(30), output);
            var normalized = SipVicious.Normalize(text);
            first ??= normalized;
            Assert.True(first == normalized, $"svwar's output for {extension} differs:\n{normalized}\nvs\n{first}");
        }
    }

    private static double Median(List<double> values) => Percentile(values, 0.5);

    private static double P90(List<double> values) => Percentile(values, 0.9);

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
    }

    private async Task<ServerProcess> StartAsync(IReadOnlyDictionary<string, string?>? environment)
    {
        return await ServerProcess.StartReadyAsync(ports, output, environment);
    }
}
