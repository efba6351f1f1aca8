using System.Globalization;
using System.Text;

namespace Telephony.Pbx.Sdp;

/// <summary>
/// One media description (RFC 8866 §5.14): the m= line and the i=, c=, b=, k=, a= lines under it, with lookups for
/// rtpmap/fmtp (§6.6, §6.15), ptime (§6.4) and direction (§6.7).
/// </summary>
public sealed class SdpMedia
{
    /// <summary>Media type: "audio", "video", "image", "application"...</summary>
    public string Media { get; set; } = "audio";

    /// <summary>Transport port 0-65535; 0 rejects or disables the stream (RFC 3264 §6).</summary>
    public int Port { get; set; }

    /// <summary>The "/&lt;number of ports&gt;" suffix, or null when absent.</summary>
    public int? PortCount { get; set; }

    /// <summary>Transport protocol, e.g. "RTP/AVP".</summary>
    public string Protocol { get; set; } = "RTP/AVP";

    /// <summary>Media formats in preference order (payload type numbers for RTP).</summary>
    public List<string> Formats { get; } = [];

    /// <summary>Media title (i=), or null.</summary>
    public string? Information { get; set; }

    /// <summary>Media-level connection (c=), or null to use the session-level one.</summary>
    public SdpConnection? Connection { get; set; }

    /// <summary>b= values verbatim ("AS:64").</summary>
    public List<string> Bandwidths { get; } = [];

    /// <summary>k= value verbatim, or null.</summary>
    public string? EncryptionKey { get; set; }

    /// <summary>a= lines in order.</summary>
    public List<SdpAttribute> Attributes { get; } = [];

    /// <summary>True for an RTP profile ("RTP/AVP", "RTP/SAVPF", "UDP/TLS/RTP/SAVP"...), whose formats are payload types.</summary>
    public bool IsRtp => Protocol.Contains("RTP/", StringComparison.OrdinalIgnoreCase);

    /// <summary>Formats that are payload type numbers 0-127, in order.</summary>
    public IEnumerable<int> PayloadTypes
    {
        get
        {
            foreach (string f in Formats)
            {
                if (SdpNumbers.TryParseInt(f, 0, 127, out int pt))
                {
                    yield return pt;
                }
            }
        }
    }

    /// <summary>The first attribute value with this name, or null.</summary>
    public string? GetAttribute(string name) => Attributes.Find(a => a.Name == name)?.Value;

    /// <summary>True if a property or value attribute with this name exists.</summary>
    public bool HasAttribute(string name) => Attributes.Exists(a => a.Name == name);

    /// <summary>
    /// The encoding of payload type <paramref name="payloadType"/>: its a=rtpmap, or the RFC 3551 static assignment
    /// (0 PCMU, 8 PCMA...) when there is no rtpmap for it.
    /// </summary>
    public bool TryGetRtpMap(int payloadType, out SdpRtpMap map)
    {
        foreach (SdpAttribute a in Attributes)
        {
            if (a.Name == "rtpmap" && SdpRtpMap.TryParse(a.Value, out map, out _) && map.PayloadType == payloadType)
            {
                return true;
            }
        }

        return SdpRtpMap.TryGetStatic(payloadType, out map);
    }

    /// <summary>The a=fmtp parameters for a format (text after "&lt;fmt&gt; "), or null.</summary>
    public string? GetFmtp(string format)
    {
        foreach (SdpAttribute a in Attributes)
        {
            if (a.Name == "fmtp" && a.Value is { } v && v.StartsWith(format, StringComparison.Ordinal)
                && v.Length > format.Length && v[format.Length] == ' ')
            {
                return v[(format.Length + 1)..].Trim();
            }
        }

        return null;
    }

    /// <summary>The a=fmtp parameters for a payload type, or null.</summary>
    public string? GetFmtp(int payloadType) => GetFmtp(payloadType.ToString(CultureInfo.InvariantCulture));

    /// <summary>a=ptime [ms] if present and a positive number (fractions are truncated), else null.</summary>
    public int? PacketTimeMs
    {
        get
        {
            string? v = GetAttribute("ptime")?.Trim();
            if (v is null)
            {
                return null;
            }

            int dot = v.IndexOf('.');
            ReadOnlySpan<char> whole = dot >= 0 ? v.AsSpan(0, dot) : v.AsSpan();
            return SdpNumbers.TryParseInt(whole, 1, 10_000, out int ms) ? ms : null;
        }
    }

    /// <summary>The media-level direction attribute, or null when this m= section has none.</summary>
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

    /// <summary>Effective direction: the media-level attribute, else the session-level one, else sendrecv.</summary>
    public SdpDirection GetDirection(SdpDescription? session) =>
        Direction ?? session?.Direction ?? SdpDirection.SendRecv;

    /// <summary>Effective connection: media-level c=, else the session-level one.</summary>
    public SdpConnection? GetConnection(SdpDescription? session) => Connection ?? session?.Connection;

    /// <summary>Replaces any direction attribute with <paramref name="direction"/>.</summary>
    public void SetDirection(SdpDirection direction)
    {
        Attributes.RemoveAll(a => a.Value is null && SdpDirections.TryParse(a.Name, out _));
        Attributes.Add(new SdpAttribute(direction.ToAttributeName()));
    }

    /// <summary>Appends the CRLF lines of this media description.</summary>
    public void WriteTo(StringBuilder sb)
    {
        sb.Append("m=").Append(Media).Append(' ').Append(Port.ToString(CultureInfo.InvariantCulture));
        if (PortCount is { } count)
        {
            sb.Append('/').Append(count.ToString(CultureInfo.InvariantCulture));
        }

        sb.Append(' ').Append(Protocol);
        foreach (string f in Formats)
        {
            sb.Append(' ').Append(f);
        }

        sb.Append("\r\n");
        if (Information is not null)
        {
            sb.Append("i=").Append(Information).Append("\r\n");
        }

        if (Connection is not null)
        {
            sb.Append("c=");
            Connection.AppendTo(sb);
            sb.Append("\r\n");
        }

        foreach (string b in Bandwidths)
        {
            sb.Append("b=").Append(b).Append("\r\n");
        }

        if (EncryptionKey is not null)
        {
            sb.Append("k=").Append(EncryptionKey).Append("\r\n");
        }

        foreach (SdpAttribute a in Attributes)
        {
            a.AppendLineTo(sb);
        }
    }

    /// <summary>The media description as CRLF lines.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        WriteTo(sb);
        return sb.ToString();
    }
}
