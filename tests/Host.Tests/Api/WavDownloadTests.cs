using Microsoft.AspNetCore.Http;
using Telephony.Host.Api;

namespace Telephony.Host.Tests.Api;

public sealed class WavDownloadTests
{
    [Theory]
    [InlineData(null, "Download")]
    [InlineData("bytes=0-", "Play")]
    [InlineData("bytes=0-1023", "Play")]
    [InlineData("bytes=44100-", "Seek")]
    public void The_range_says_what_the_request_is(string? range, string expected)
    {
        var context = new DefaultHttpContext();
        if (range is not null)
        {
            context.Request.Headers.Range = range;
        }

        Assert.Equal(expected, WavDownload.Classify(context.Request).ToString());
    }
}
