using System.Text;
using Telephony.Pbx.Sip.Messages;

namespace Telephony.Pbx.Tests.Sip.Messages;

/// <summary><see cref="SipMessage.ToBytes"/> builds its head in a builder reused per thread (perf5): the bytes stay
/// those of <see cref="SipMessage.ToString"/>, and nothing of one message leaks into the next.</summary>
public sealed class SipMessageSerializationTests
{
    private static SipRequest Request(string displayName, string extra, string body)
    {
        var r = new SipRequest(SipMethod.Invite, SipUri.Parse("sip:9002@127.0.0.1"));
        r.Headers.Add(HeaderName.Via, "SIP/2.0/UDP 127.0.0.2:5070;branch=z9hG4bK-1");
        r.Headers.Add(HeaderName.From, $"\"{displayName}\" <sip:1001@127.0.0.2>;tag=a1");
        r.Headers.Add(HeaderName.To, "<sip:9002@127.0.0.1>");
        r.Headers.Add(HeaderName.CallId, "c1@127.0.0.2");
        r.Headers.Add(HeaderName.CSeq, "1 INVITE");
        r.Headers.Add(HeaderName.ContentLength, "999"); // rewritten from the body, in place
        r.Headers.Add("X-Extra", extra);
        r.Body = Encoding.UTF8.GetBytes(body);
        return r;
    }

    [Fact]
    public void Bytes_are_the_utf8_of_the_text_with_non_ascii_and_surrogate_pairs()
    {
        var r = Request("Zoë 📞 Müller", "ü", "v=0\r\ns=☎\r\n");
        byte[] bytes = r.ToBytes();
        Assert.Equal(Encoding.UTF8.GetBytes(r.ToString()), bytes);
        Assert.Contains($"Content-Length: {r.Body.Length}\r\nX-Extra: ü\r\n\r\nv=0", Encoding.UTF8.GetString(bytes));
    }

    [Fact]
    public void A_long_message_then_a_short_one_each_have_only_their_own_text()
    {
        var longOne = Request("Long", new string('L', 3000), "");
        var shortOne = Request("Short", "s", "");
        Assert.Equal(Encoding.UTF8.GetBytes(longOne.ToString()), longOne.ToBytes());
        byte[] second = shortOne.ToBytes();
        Assert.Equal(Encoding.UTF8.GetBytes(shortOne.ToString()), second);
        Assert.DoesNotContain("LLL", Encoding.UTF8.GetString(second));
    }

    [Fact]
    public void A_head_larger_than_the_kept_builder_serializes_whole_and_the_next_one_too()
    {
        var huge = Request("Huge", new string('H', 40_000), "body");
        Assert.Equal(Encoding.UTF8.GetBytes(huge.ToString()), huge.ToBytes());
        var small = Request("Small", "x", "");
        Assert.Equal(Encoding.UTF8.GetBytes(small.ToString()), small.ToBytes());
    }

    [Fact]
    public void After_the_first_call_only_the_bytes_are_allocated()
    {
        var r = Request("Caller", "x", "v=0\r\n");
        int length = r.ToBytes().Length;
        r.ToBytes();
        long before = GC.GetAllocatedBytesForCurrentThread();
        r.ToBytes();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // The byte[] and a few small objects (the header enumerator, the Content-Length digits); no builder and no head
        // string, which alone would be twice the length (UTF-16).
        Assert.InRange(allocated, length, length + 128);
    }
}
