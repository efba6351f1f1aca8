using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Telephony.Pbx.Sip.Messages;
using Telephony.Pbx.Sip.Parsing;

namespace Telephony.Pbx.Tests.Sip.Parsing;

/// <summary>
/// Mutated-bytes robustness (pion/sdp's fuzz contract): TryParse and TryFrame never throw, and whatever parses
/// re-serializes to bytes that parse to an equal message.
/// </summary>
public sealed class SipParserRobustnessTests
{
    private static readonly byte[][] Seeds = LoadSeeds();

    private static byte[][] LoadSeeds()
    {
        var seeds = new List<byte[]> { SipTestMessages.Bytes(SipTestMessages.Invite), SipTestMessages.Bytes(SipTestMessages.Ok) };
        var dir = Path.Combine(AppContext.BaseDirectory, "Vectors", "rfc4475");
        foreach (var name in new[] { "wsinv", "intmeth", "esc01", "esc02", "escnull", "longreq", "unreason", "unksm2", "clerr", "badinv01" })
        {
            seeds.Add(File.ReadAllBytes(Path.Combine(dir, name + ".dat")));
        }

        return [.. seeds];
    }

    private static readonly byte[] Interesting = Encoding.ASCII.GetBytes(" \t\r\n:;,<>\"\\%@=/[]?*0");

    private static byte[] Mutate(byte[] input, Random rng)
    {
        var data = new List<byte>(input);
        var steps = rng.Next(1, 6);
        for (var s = 0; s < steps && data.Count > 0; s++)
        {
            var at = rng.Next(data.Count);
            switch (rng.Next(7))
            {
                case 0: data[at] = (byte)rng.Next(256); break;
                case 1: data[at] = Interesting[rng.Next(Interesting.Length)]; break;
                case 2: data.Insert(at, Interesting[rng.Next(Interesting.Length)]); break;
                case 3: data.RemoveRange(at, Math.Min(rng.Next(1, 16), data.Count - at)); break;
                case 4: data.RemoveRange(at, data.Count - at); break; // truncate
                case 5:
                    var len = Math.Min(rng.Next(1, 40), data.Count - at);
                    data.InsertRange(rng.Next(data.Count), data.GetRange(at, len)); // duplicate a range
                    break;
                default: data[at] ^= (byte)(1 << rng.Next(8)); break;
            }
        }

        return [.. data];
    }

    private static void CheckContract(byte[] data)
    {
        if (SipMessageParser.TryParse(data, out var message, out var error))
        {
            Assert.Null(error);
            SipTestMessages.AssertRoundTrips(message);
        }
        else
        {
            Assert.NotNull(error);
            Assert.Null(message);
            if (error.Partial is { } partial)
            {
                Assert.InRange(error.StatusCode, 400, 599);
                _ = SipResponse.CreateFor(partial, error.StatusCode).ToBytes();
            }
        }

        var status = SipStreamFramer.TryFrame(data, out var start, out var length, out var frameError);
        Assert.InRange(start, 0, data.Length);
        if (status == SipFrameStatus.Complete)
        {
            Assert.InRange(start + length, 1, data.Length);
            SipMessageParser.TryParse(data.AsSpan(start, length), out _, out _);
        }

        Assert.Equal(status == SipFrameStatus.Invalid, frameError is not null);
    }

    [Fact]
    public void Thousands_of_seeded_mutations_never_throw_and_round_trip()
    {
        var rng = new Random(4475);
        var parsed = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var data = Mutate(Seeds[i % Seeds.Length], rng);
            CheckContract(data);
            if (SipMessageParser.TryParse(data, out _, out _))
            {
                parsed++;
            }
        }

        // Most single-byte mutations land in values the parser does not check: many must still parse.
        Assert.InRange(parsed, 1000, 20_000);
    }

    [Fact]
    public void Every_truncation_of_every_seed_is_handled()
    {
        foreach (var seed in Seeds)
        {
            for (var n = 0; n <= seed.Length; n++)
            {
                CheckContract(seed[..n]);
            }
        }
    }

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property Random_bytes_never_throw() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            CheckContract(bytes);
            return true;
        });

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public Property Random_header_values_round_trip() =>
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), value =>
        {
            var text = SipTestMessages.Ok.Replace("Content-Length: 0\r\n", $"X-Fuzz: {value}\r\nContent-Length: 0\r\n", StringComparison.Ordinal);
            CheckContract(Encoding.UTF8.GetBytes(text));
            return true;
        });
}
