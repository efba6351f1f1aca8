using System.Buffers;
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

    // One head builder per thread, reused: a response used to cost a StringBuilder, the head as a string and the
    // bytes; now only the bytes. Taken out of the slot while in use (a nested ToBytes builds its own).
    [ThreadStatic]
    private static StringBuilder? t_head;

    /// <summary>
    /// Serializes: start line, header fields in order, Content-Length (always from <see cref="Body"/>, at the
    /// place of an existing Content-Length field, else last), an empty line, the body.
    /// </summary>
    public byte[] ToBytes()
    {
        var sb = t_head ?? new StringBuilder(1024);
        t_head = null;
        sb.Clear();
        AppendHead(sb);
        char[] chars = ArrayPool<char>.Shared.Rent(sb.Length);
        try
        {
            sb.CopyTo(0, chars, sb.Length);
            ReadOnlySpan<char> head = chars.AsSpan(0, sb.Length);
            var bytes = new byte[Encoding.UTF8.GetByteCount(head) + _body.Length];
            var n = Encoding.UTF8.GetBytes(head, bytes);
            _body.CopyTo(bytes, n);
            return bytes;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
            if (sb.Capacity <= MaxCachedHeadChars)
            {
                t_head = sb;
            }
        }
    }

    /// <summary>The same text as <see cref="ToBytes"/> (body decoded as UTF-8).</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(512);
        AppendHead(sb);
        return sb.Append(Encoding.UTF8.GetString(_body)).ToString();
    }

    private protected abstract void AppendStartLine(StringBuilder sb);

    // A head larger than this (a message with huge headers) is built in a builder that is then let go.
    private const int MaxCachedHeadChars = 16 * 1024;

    private void AppendHead(StringBuilder sb)
    {
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

        sb.Append("\r\n");
    }

    private void AppendContentLength(StringBuilder sb) =>
        sb.Append(HeaderName.ContentLength).Append(": ")
            .Append(_body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
}
