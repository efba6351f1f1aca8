using Microsoft.AspNetCore.Http;

namespace Telephony.Host.Api;

/// <summary>
/// Serves a WAV file (a recording or a voicemail) with byte ranges (RFC 9110 §14) and tells the caller what kind of
/// access a request is, for the audit trail: no <c>Range</c> is a download, a range from byte 0 is a play (a player's
/// first request), any later range is a seek, which is not audited.
/// </summary>
internal static class WavDownload
{
    /// <summary>What the request is, read from its <c>Range</c> header.</summary>
    public static WavAccess Classify(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string range = request.Headers.Range.ToString();
        if (range.Length == 0)
        {
            return WavAccess.Download;
        }

        return range.StartsWith("bytes=0-", StringComparison.Ordinal) ? WavAccess.Play : WavAccess.Seek;
    }

    /// <summary>The file as <c>audio/wav</c>, named after itself, with range processing.</summary>
    public static IResult File(string path) =>
        Results.File(path, "audio/wav", Path.GetFileName(path), enableRangeProcessing: true);
}

/// <summary>The kind of access a WAV request is (see <see cref="WavDownload.Classify"/>).</summary>
internal enum WavAccess
{
    /// <summary>The whole file, no range.</summary>
    Download,

    /// <summary>A range from byte 0: a player starting.</summary>
    Play,

    /// <summary>A later range: a player seeking.</summary>
    Seek,
}
