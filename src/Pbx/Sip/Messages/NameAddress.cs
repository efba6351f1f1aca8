using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Telephony.Pbx.Sip.Messages;

/// <summary>
/// name-addr / addr-spec with header parameters (RFC 3261 §20.10, §20.20, §20.39, §25.1): From, To, Contact,
/// Route, Record-Route and Refer-To entries. Parameter values keep their quotes when they were quoted.
/// The From and To a <see cref="SipMessage"/> hands out are read-only views parsed once per header value
/// (<see cref="IsReadOnly"/>); <see cref="Clone"/> gives a copy to change.
/// </summary>
public sealed class NameAddress
{
    private readonly ParameterCollection<string?> _parameters = new();
    private SipUri _uri;
    private string? _displayName;

    public NameAddress(SipUri uri, string? displayName = null)
    {
        _uri = uri ?? throw new ArgumentNullException(nameof(uri));
        DisplayName = displayName;
    }

    private NameAddress()
    {
        _uri = new SipUri(string.Empty);
        IsWildcard = true;
    }

    /// <summary>The display name, unquoted and unescaped; null when absent.</summary>
    public string? DisplayName
    {
        get => _displayName;
        set
        {
            ThrowIfReadOnly();
            _displayName = value;
        }
    }

    public SipUri Uri
    {
        get => _uri;
        set
        {
            ThrowIfReadOnly();
            _uri = value ?? throw new ArgumentNullException(nameof(value));
        }
    }

    /// <summary>Header parameters after the URI (tag, expires, q, +sip.instance...).</summary>
    public IDictionary<string, string?> Parameters => _parameters;

    /// <summary>The "tag" parameter (RFC 3261 §19.3).</summary>
    public string? Tag
    {
        get => _parameters.GetOrDefault("tag");
        set
        {
            if (value is null)
            {
                _parameters.Remove("tag");
            }
            else
            {
                _parameters["tag"] = value;
            }
        }
    }

    /// <summary>True for "Contact: *" (RFC 3261 §10.2.2).</summary>
    public bool IsWildcard { get; }

    /// <summary>True for a header view a <see cref="SipMessage"/> caches (its URI and parameters too).</summary>
    public bool IsReadOnly => HeaderText is not null;

    /// <summary>The header field value a read-only view was parsed from (the message's cache key); else null.</summary>
    internal string? HeaderText { get; private set; }

    /// <summary>A deep copy, writable; the same text as this one.</summary>
    public NameAddress Clone()
    {
        var copy = IsWildcard ? new NameAddress() : new NameAddress(_uri.Clone(), _displayName);
        copy._parameters.CopyFrom(_parameters);
        return copy;
    }

    /// <summary>Parses <paramref name="text"/> into a read-only view keyed by that string; null when malformed.</summary>
    internal static NameAddress? ParseView(string? text) =>
        text is not null && TryParse(text, out var value) ? value.AsView(text) : null;

    /// <summary>Makes this freshly parsed value the read-only view of the header value <paramref name="text"/>.</summary>
    internal NameAddress AsView(string text)
    {
        HeaderText = text;
        _parameters.MakeReadOnly();
        _uri.MakeReadOnly();
        return this;
    }

    public static NameAddress Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException("Invalid name-addr: " + text);

    /// <summary>Parses one entry (not a comma list); never throws.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out NameAddress? value)
    {
        value = null;
        if (text is null)
        {
            return false;
        }

        var s = SipGrammar.TrimLws(text.AsSpan());
        if (s.Length == 0)
        {
            return false;
        }

        if (s.Length == 1 && s[0] == '*')
        {
            value = new NameAddress();
            return true;
        }

        string? display = null;
        int i;
        SipUri? uri;
        if (s[0] == '"')
        {
            i = 0;
            if (!SipGrammar.TryReadQuoted(s, ref i, out var quoted))
            {
                return false;
            }

            display = quoted;
            i = SipGrammar.SkipLws(s, i);
            if (i >= s.Length || s[i] != '<')
            {
                return false;
            }
        }
        else
        {
            i = s.IndexOf('<');
            if (i > 0)
            {
                // display-name = *(token LWS): keep the text as written, trimmed.
                var name = SipGrammar.TrimLws(s[..i]);
                foreach (var c in name)
                {
                    if (!SipGrammar.IsTokenChar(c) && !SipGrammar.IsLws(c))
                    {
                        return false;
                    }
                }

                display = name.ToString();
            }
        }

        if (i >= 0 && i < s.Length && s[i] == '<')
        {
            var close = s[i..].IndexOf('>');
            if (close < 0 || !SipUri.TryParse(s.Slice(i + 1, close - 1), out uri))
            {
                return false;
            }

            i += close + 1;
        }
        else
        {
            // addr-spec: the URI ends at the first ';' (what follows are header parameters) or LWS.
            var end = s.IndexOfAny(';', ' ', '\t');
            if (end < 0)
            {
                end = s.Length;
            }

            // RFC 3261 §20.10: a URI with ',', '?' or ';' must be in <...> (RFC 4475 §3.1.2.13).
            if (s[..end].IndexOfAny(',', '?') >= 0 || !SipUri.TryParse(s[..end], out uri))
            {
                return false;
            }

            i = end;
        }

        var result = new NameAddress(uri, display);
        if (!SipGrammar.TryReadHeaderParams(s[i..], result._parameters))
        {
            return false;
        }

        value = result;
        return true;
    }

    private void ThrowIfReadOnly()
    {
        if (IsReadOnly)
        {
            ReadOnlyView.Throw();
        }
    }

    /// <summary>Always the &lt;...&gt; form, display name quoted: "\"Bob\" &lt;sip:bob@b.example&gt;;tag=1".</summary>
    public override string ToString()
    {
        if (IsWildcard)
        {
            return "*";
        }

        var sb = new StringBuilder(96);
        if (DisplayName is not null)
        {
            sb.Append(SipGrammar.Quote(DisplayName)).Append(' ');
        }

        sb.Append('<');
        Uri.AppendTo(sb);
        sb.Append('>');
        SipGrammar.AppendHeaderParams(sb, _parameters);
        return sb.ToString();
    }
}
