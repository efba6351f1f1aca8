using System.Text;
using Telephony.Pbx.Sdp;
using static Telephony.Pbx.Tests.Sdp.SdpTestData;

namespace Telephony.Pbx.Tests.Sdp;

/// <summary>SdpDescription.ToBytes: the UTF-8 of ToString, written without the text string.</summary>
public sealed class SdpDescriptionBytesTests
{
    // Every line type of RFC 8866 §5 once, session- and media-level, with a non-ASCII session name.
    private const string Full =
        "v=0\r\no=jdoe 2890844526 2890842807 IN IP4 198.51.100.1\r\ns=Séance ☎\r\ni=A Seminar\r\n" +
        "u=http://www.example.com/seminars/sdp.pdf\r\ne=j.doe@example.com (Jane Doe)\r\np=+1 617 555-6011\r\n" +
        "c=IN IP4 198.51.100.1\r\nb=CT:128\r\nt=2873397496 2873404696\r\nr=7d 1h 0 25h\r\n" +
        "z=2882844526 -1h 2898848070 0\r\nk=prompt\r\na=recvonly\r\na=tool:x\r\n" +
        "m=audio 49170 RTP/AVP 0 101\r\ni=voice\r\nc=IN IP4 203.0.113.5\r\nb=AS:64\r\nk=prompt\r\n" +
        "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-15\r\na=sendrecv\r\n" +
        "m=video 51372/2 RTP/AVP 99\r\na=rtpmap:99 h263-1998/90000\r\n";

    public static TheoryData<string> Vectors => new(Directory.GetFiles(
        Path.Combine(AppContext.BaseDirectory, "Vectors", "sdp"), "*.sdp").Select(Path.GetFileName)!);

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Bytes_are_the_UTF8_of_the_text_for_every_vector(string file)
    {
        SdpDescription d = Parse(ReadVector(file));
        Assert.Equal(Encoding.UTF8.GetBytes(d.ToString()), d.ToBytes());
    }

    [Fact]
    public void Every_line_type_writes_as_parsed_in_text_and_bytes()
    {
        SdpDescription d = Parse(Full);
        Assert.Equal(Full, d.ToString());
        Assert.Equal(Encoding.UTF8.GetBytes(Full), d.ToBytes());
    }

    [Fact]
    public void A_large_description_then_a_small_one_on_the_same_thread()
    {
        SdpDescription large = Parse(Full);
        for (var i = 0; i < 2000; i++)
        {
            large.Attributes.Add(new SdpAttribute("x-filler", new string('a', 10)));
        }

        Assert.Equal(Encoding.UTF8.GetBytes(large.ToString()), large.ToBytes());
        SdpDescription small = Parse(Full);
        Assert.Equal(Encoding.UTF8.GetBytes(Full), small.ToBytes());
        Assert.Equal(Encoding.UTF8.GetBytes(Full), small.ToBytes());
    }
}
