using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Telephony.Pbx.Sdp;

namespace Telephony.Pbx.Tests.Sdp;

/// <summary>pion/sdp's fuzz contract: parsing never throws; what parses re-serializes and parses to the same text.</summary>
public class SdpRobustnessTests
{
    private static readonly string[] Seeds =
    [
        "v=0\r\no=- 1 2 IN IP4 10.0.0.1\r\ns=call\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\n" +
        "m=audio 4000 RTP/AVP 0 8 101\r\na=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\na=ptime:20\r\na=sendrecv\r\n" +
        "m=video 0 RTP/AVP 31\r\nb=AS:64\r\ni=x\r\nk=clear:k\r\n",
        "v=0\no=alice 2890844526 2890844526 IN IP4 host.atlanta.example.com\ns=\ni=info\nu=http://x\ne=a@b\np=+1\n" +
        "c=IN IP4 224.2.1.1/127\nb=CT:10\nt=1 2\nr=7d 1h 0 25h\nz=2882844526 -1h\nk=prompt\na=recvonly\n" +
        "m=audio 49170/2 RTP/AVP 0 97\na=rtpmap:97 iLBC/8000\nm=image 5000 udptl t38\n",
    ];

    private static void CheckContract(string text)
    {
        if (SdpParser.TryParse(text, out SdpDescription? d, out SdpError? e))
        {
            string once = d!.ToString();
            Assert.True(SdpParser.TryParse(once, out SdpDescription? d2, out SdpError? e2), $"{e2} for:\n{once}");
            Assert.Equal(once, d2!.ToString());
        }
        else
        {
            Assert.NotNull(e);
            Assert.Null(d);
        }
    }

    [Fact]
    public void Seeded_byte_mutations_never_throw_and_round_trip()
    {
        var random = new Random(8866);
        const string alphabet = "v=o-s c\r\nm a:/0123456789 RTPAVIN\0\u00ff";
        int parsed = 0;
        for (int i = 0; i < 5000; i++)
        {
            char[] text = Seeds[i % Seeds.Length].ToCharArray();
            int edits = random.Next(1, 6);
            var sb = new StringBuilder(new string(text));
            for (int k = 0; k < edits && sb.Length > 0; k++)
            {
                int at = random.Next(sb.Length);
                switch (random.Next(3))
                {
                    case 0: sb[at] = alphabet[random.Next(alphabet.Length)]; break;
                    case 1: sb.Remove(at, Math.Min(random.Next(1, 8), sb.Length - at)); break;
                    default: sb.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                }
            }

            string mutated = sb.ToString();
            CheckContract(mutated);
            byte[] bytes = Encoding.UTF8.GetBytes(mutated);
            if (random.Next(4) == 0)
            {
                bytes[random.Next(bytes.Length)] ^= (byte)random.Next(1, 256);
            }

            SdpParser.TryParse(bytes, out _, out _);
            if (SdpParser.TryParse(mutated, out _, out _))
            {
                parsed++;
            }
        }

        Assert.True(parsed > 100, $"mutations should often still parse; got {parsed}");
    }

    [FsCheck.Xunit.Property(MaxTest = 500)]
    public void Arbitrary_strings_never_throw(string text) => CheckContract(text);

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property Seed_with_spliced_random_line_never_throws() =>
        Prop.ForAll(
            Gen.Elements(Seeds).Zip(ArbMap.Default.GeneratorFor<string>()).Zip(Gen.Choose(0, 200)).ToArbitrary(),
            t =>
            {
                ((string seed, string junk), int pos) = t;
                int at = Math.Min(pos, seed.Length);
                CheckContract(seed[..at] + (junk ?? string.Empty) + seed[at..]);
            });
}
