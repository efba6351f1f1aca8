using System.Globalization;
using System.Text;

namespace Telephony.Pbx.Sip.Messages;

/// <summary>
/// A SIP request or response (RFC 3261 §7): start line, header fields and body. Typed views of the common
/// headers are parsed on each access from <see cref="Headers"/>, which stays the single source of truth.
/// </summary>
public abstract class SipMessage
{
    private byte[] _body = [];

    private protected SipMessage()
    {
    }

    public SipHeaders Headers { get; } = new();

    /// <summary>The message body; never null, empty when none.</summary>
    public byte[] Body
    {
        get => _body;
        set => _body = value ?? [];
    }

    public string? CallId => Headers.Get(HeaderName.CallId)?.Trim();

    /// <summary>The parsed CSeq; default when missing or malformed.</summary>
    public CSeq CSeq => CSeq.TryParse(Headers.Get(HeaderName.CSeq), out var c) ? c : default;

    public NameAddress? From => NameAddress.TryParse(Headers.Get(HeaderName.From), out var v) ? v : null;

    public NameAddress? To => NameAddress.TryParse(Headers.Get(HeaderName.To), out var v) ? v : null;

    /// <summary>The first Via entry, or null when missing or malformed.</summary>
    public Via? TopVia
    {
        get
        {
            var all = Headers.GetAll(HeaderName.Via);
            return all.Count > 0 && Via.TryParse(all[0], out var via) ? via : null;
        }
    }

    /// <summary>All Via entries in order; malformed entries are skipped.</summary>
    public IReadOnlyList<Via> Vias
    {
        get
        {
            var all = Headers.GetAll(HeaderName.Via);
            var result = new List<Via>(all.Count);
            foreach (var text in all)
            {
                if (Via.TryParse(text, out var via))
                {
                    result.Add(via);
                }
            }

            return result;
        }
    }

    public int? MaxForwards =>
        Headers.Get(HeaderName.MaxForwards) is { } v && int.TryParse(v.AsSpan().Trim(), NumberStyles.None,
            CultureInfo.InvariantCulture, out var n) ? n : null;

    public string? ContentType => Headers.Get(HeaderName.ContentType)?.Trim();

    /// <summary>
    /// Serializes: start line, header fields in order, Content-Length (always from <see cref="Body"/>, at the
    /// place of an existing Content-Length field, else last), an empty line, the body.
    /// </summary>
    public byte[] ToBytes()
    {
        var head = BuildHead();
        var bytes = new byte[Encoding.UTF8.GetByteCount(head) + _body.Length];
        var n = Encoding.UTF8.GetBytes(head, bytes);
        _body.CopyTo(bytes, n);
        return bytes;
    }

    /// <summary>The same text as <see cref="ToBytes"/> (body decoded as UTF-8).</summary>
    public override string ToString() => BuildHead() + Encoding.UTF8.GetString(_body);

    private protected abstract void AppendStartLine(StringBuilder sb);

    private string BuildHead()
    {
        var sb = new StringBuilder(512);
        AppendStartLine(sb);
        sb.Append("\r\n");
        var lengthWritten = false;
        foreach (var (name, value) in Headers)
        {
            if (ReferenceEquals(name, HeaderName.ContentLength) || name == HeaderName.ContentLength)
            {
                if (!lengthWritten)
                {
                    AppendContentLength(sb);
                    lengthWritten = true;
                }

                continue;
            }

            sb.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        if (!lengthWritten)
        {
            AppendContentLength(sb);
        }

        return sb.Append("\r\n").ToString();
    }

    private void AppendContentLength(StringBuilder sb) =>
        sb.Append(HeaderName.ContentLength).Append(": ")
            .Append(_body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
}
