using System.Buffers;
using System.Globalization;
using System.Text;

namespace Telephony.Pbx.Sip.Messages;

/// <summary>
/// A SIP request or response (RFC 3261 §7): start line, header fields and body. <see cref="Headers"/> stays the
/// single source of truth; the typed views are parsed from it: <see cref="From"/>, <see cref="To"/> and
/// <see cref="TopVia"/> once per header value (cached, read-only, shared by every reader, parsed again when the
/// field's value changes), the others on each access.
/// </summary>
public abstract class SipMessage
{
    private byte[] _body = [];

    // The cached views, each keyed by the header value (string instance) it was parsed from: a reader compares
    // the key with the field's current value, so a Set/Add/Remove of the field needs no invalidation hook.
    private NameAddress? _from;
    private NameAddress? _to;
    private Via? _topVia;

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

    /// <summary>The From header (read-only view, parsed once per value; Clone() to change), or null when missing or
    /// malformed.</summary>
    public NameAddress? From => AddressView(ref _from, HeaderName.From);

    /// <summary>The To header (read-only view, parsed once per value; Clone() to change), or null when missing or
    /// malformed.</summary>
    public NameAddress? To => AddressView(ref _to, HeaderName.To);

    /// <summary>
    /// The first Via entry, or null when missing or malformed. When the first Via field holds one entry (the usual
    /// case) it is a read-only view parsed once per value (Clone() to change); otherwise it is parsed on each access.
    /// </summary>
    public Via? TopVia
    {
        get
        {
            var first = Headers.Get(HeaderName.Via);
            if (first is null)
            {
                return null;
            }

            var cached = Volatile.Read(ref _topVia);
            if (cached is not null && ReferenceEquals(cached.HeaderText, first))
            {
                return cached;
            }

            if (first.Contains(',') || SipGrammar.TrimLws(first.AsSpan()).Length == 0)
            {
                var all = Headers.GetAll(HeaderName.Via);
                return all.Count > 0 && Via.TryParse(all[0], out var entry) ? entry : null;
            }

            if (!Via.TryParse(first, out var via))
            {
                return null;
            }

            Volatile.Write(ref _topVia, via.AsView(first));
            return via;
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

    /// <summary>
    /// Takes <paramref name="other"/>'s cached views (a response built from a request copies the same header strings):
    /// a view is only used while its key is this message's field value, and views are read-only, so sharing is safe.
    /// </summary>
    internal void ShareViews(SipMessage other)
    {
        _from = Volatile.Read(ref other._from);
        _to = Volatile.Read(ref other._to);
        _topVia = Volatile.Read(ref other._topVia);
    }

    /// <summary>Sets the To view (a view made for this message's current To value, e.g. a copy with the tag added).</summary>
    internal void SetToView(NameAddress view) => Volatile.Write(ref _to, view);

    private NameAddress? AddressView(ref NameAddress? cache, string name)
    {
        var text = Headers.Get(name);
        if (text is null)
        {
            return null;
        }

        var cached = Volatile.Read(ref cache);
        if (cached is not null && ReferenceEquals(cached.HeaderText, text))
        {
            return cached;
        }

        var parsed = NameAddress.ParseView(text);
        if (parsed is not null)
        {
            Volatile.Write(ref cache, parsed);
        }

        return parsed;
    }

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
