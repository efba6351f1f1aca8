using System.Buffers;
using System.Text;

namespace Telephony.Pbx.Sdp;

/// <summary>
/// A session description (RFC 8866 §5): session-level lines and the media descriptions. <see cref="ToString"/>
/// writes CRLF lines in the order of RFC 8866 §5 (v o s i u e p c b t r z k a, then each m= block).
/// </summary>
public sealed class SdpDescription
{
    /// <summary>v= (always 0).</summary>
    public int Version { get; set; }

    /// <summary>o= line.</summary>
    public SdpOrigin Origin { get; set; } = new("-", 0, 0, "IN", "IP4", "0.0.0.0");

    /// <summary>s= text ("-" when the session has no name).</summary>
    public string SessionName { get; set; } = "-";

    /// <summary>i= text, or null.</summary>
    public string? Information { get; set; }

    /// <summary>u= text, or null.</summary>
    public string? Uri { get; set; }

    /// <summary>e= values.</summary>
    public List<string> Emails { get; } = [];

    /// <summary>p= values.</summary>
    public List<string> Phones { get; } = [];

    /// <summary>Session-level c=, or null.</summary>
    public SdpConnection? Connection { get; set; }

    /// <summary>b= values verbatim.</summary>
    public List<string> Bandwidths { get; } = [];

    /// <summary>t= lines (with r=); written as "t=0 0" when empty.</summary>
    public List<SdpTiming> Timings { get; } = [];

    /// <summary>z= text, or null.</summary>
    public string? TimeZones { get; set; }

    /// <summary>k= text, or null.</summary>
    public string? EncryptionKey { get; set; }

    /// <summary>Session-level a= lines.</summary>
    public List<SdpAttribute> Attributes { get; } = [];

    /// <summary>Media descriptions in order.</summary>
    public List<SdpMedia> Media { get; } = [];

    /// <summary>The session-level direction attribute, or null when absent.</summary>
    public SdpDirection? Direction
    {
        get
        {
            foreach (SdpAttribute a in Attributes)
            {
                if (a.Value is null && SdpDirections.TryParse(a.Name, out SdpDirection d))
                {
                    return d;
                }
            }

            return null;
        }
    }

    /// <summary>Increases o= sess-version by one, as a changed re-offer or re-answer must (RFC 3264 §8).</summary>
    public void BumpSessionVersion() => Origin = Origin.WithNextVersion();

    /// <summary>Parses <paramref name="text"/>; see <see cref="SdpParser.TryParse(string, out SdpDescription?, out SdpError?)"/>.</summary>
    public static bool TryParse(string text, out SdpDescription? description, out SdpError? error) =>
        SdpParser.TryParse(text, out description, out error);

    /// <summary>The session description as CRLF lines in RFC order.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(512);
        WriteTo(sb);
        return sb.ToString();
    }

    // One builder per thread for ToBytes, reused (let go past MaxCachedChars); taken out of the slot while in use.
    [ThreadStatic]
    private static StringBuilder? t_text;

    private const int MaxCachedChars = 16 * 1024;

    /// <summary>
    /// <see cref="ToString"/> as UTF-8 bytes (a message body), built in a per-thread builder and encoded from a pooled
    /// buffer: no text string on the way.
    /// </summary>
    public byte[] ToBytes()
    {
        var sb = t_text ?? new StringBuilder(1024);
        t_text = null;
        sb.Clear();
        WriteTo(sb);
        char[] chars = ArrayPool<char>.Shared.Rent(sb.Length);
        try
        {
            sb.CopyTo(0, chars, sb.Length);
            ReadOnlySpan<char> text = chars.AsSpan(0, sb.Length);
            var bytes = new byte[Encoding.UTF8.GetByteCount(text)];
            Encoding.UTF8.GetBytes(text, bytes);
            return bytes;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            if (sb.Capacity <= MaxCachedChars)
            {
                t_text = sb;
            }
        }
    }

    private void WriteTo(StringBuilder sb)
    {
        sb.Append("v=").Append(Version).Append("\r\n");
        sb.Append("o=");
        Origin.AppendTo(sb);
        sb.Append("\r\n");
        sb.Append("s=").Append(SessionName).Append("\r\n");
        AppendIf(sb, "i=", Information);
        AppendIf(sb, "u=", Uri);
        foreach (var e in Emails)
        {
            sb.Append("e=").Append(e).Append("\r\n");
        }

        foreach (var p in Phones)
        {
            sb.Append("p=").Append(p).Append("\r\n");
        }

        if (Connection is not null)
        {
            sb.Append("c=");
            Connection.AppendTo(sb);
            sb.Append("\r\n");
        }

        foreach (var b in Bandwidths)
        {
            sb.Append("b=").Append(b).Append("\r\n");
        }

        if (Timings.Count == 0)
        {
            sb.Append("t=0 0\r\n");
        }

        foreach (SdpTiming t in Timings)
        {
            sb.Append("t=");
            t.AppendTo(sb);
            sb.Append("\r\n");
            foreach (var r in t.Repeats)
            {
                sb.Append("r=").Append(r).Append("\r\n");
            }
        }

        AppendIf(sb, "z=", TimeZones);
        AppendIf(sb, "k=", EncryptionKey);
        foreach (var a in Attributes)
        {
            a.AppendLineTo(sb);
        }

        foreach (var m in Media)
        {
            m.WriteTo(sb);
        }
    }

    private static void AppendIf(StringBuilder sb, string prefix, string? value)
    {
        if (value is not null)
        {
            sb.Append(prefix).Append(value).Append("\r\n");
        }
    }
}
