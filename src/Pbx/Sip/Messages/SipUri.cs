using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Telephony.Pbx.Sip.Messages;

/// <summary>
/// A SIP or SIPS URI (RFC 3261 §19.1), a tel URI (RFC 3966) or, for any other scheme, an opaque absoluteURI
/// kept as text (so the server can answer 416 Unsupported URI Scheme). User and parameter values are unescaped;
/// <see cref="ToString"/> escapes them again.
/// </summary>
public sealed class SipUri
{
    private readonly ParameterCollection<string?> _parameters = new();
    private readonly ParameterCollection<string> _headers = new();
    private string _host;
    private string _scheme;
    private string? _user;
    private string? _password;
    private int? _port;
    private bool _readOnly;

    /// <summary>Creates "sip:host".</summary>
    public SipUri(string host)
        : this("sip", null, host)
    {
    }

    /// <summary>Creates "scheme:user@host".</summary>
    public SipUri(string scheme, string? user, string host)
    {
        ArgumentNullException.ThrowIfNull(scheme);
        ArgumentNullException.ThrowIfNull(host);
        _scheme = scheme;
        User = user;
        _host = host;
    }

    /// <summary>"sip", "sips", "tel" (lower case), or another scheme as given.</summary>
    public string Scheme
    {
        get => _scheme;
        set => _scheme = Writable(value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>The user part, unescaped; for tel URIs the telephone-subscriber number.</summary>
    public string? User
    {
        get => _user;
        set => _user = Writable(value);
    }

    public string? Password
    {
        get => _password;
        set => _password = Writable(value);
    }

    /// <summary>Host name or address; IPv6 kept with brackets, e.g. "[::1]". Empty for tel and opaque URIs.</summary>
    public string Host
    {
        get => _host;
        set => _host = Writable(value ?? throw new ArgumentNullException(nameof(value)));
    }

    public int? Port
    {
        get => _port;
        set => _port = Writable(value);
    }

    /// <summary>True for the URI of a header view a <see cref="SipMessage"/> caches; <see cref="Clone"/> to change it.</summary>
    public bool IsReadOnly => _readOnly;

    /// <summary>URI parameters in order, case-insensitive keys, unescaped values; ";lr" is ("lr", null).</summary>
    public IDictionary<string, string?> Parameters => _parameters;

    /// <summary>URI headers (?h=v&amp;...), unescaped.</summary>
    public IDictionary<string, string> Headers => _headers;

    /// <summary>True for sip: and sips: URIs.</summary>
    public bool IsSip => Scheme is "sip" or "sips";

    /// <summary>For a scheme other than sip, sips and tel: everything after the colon, as received.</summary>
    internal string? Opaque { get; private set; }

    public static SipUri Parse(string text) =>
        TryParse(text, out var uri) ? uri : throw new FormatException("Invalid SIP URI: " + text);

    /// <summary>Parses a URI; never throws.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SipUri? uri)
    {
        uri = null;
        return text is not null && TryParse(text.AsSpan(), out uri);
    }

    internal static bool TryParse(ReadOnlySpan<char> s, [NotNullWhen(true)] out SipUri? uri)
    {
        uri = null;
        var colon = s.IndexOf(':');
        if (colon <= 0 || !char.IsAsciiLetter(s[0]))
        {
            return false;
        }

        var schemeSpan = s[..colon];
        foreach (var c in schemeSpan)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not '+' and not '-' and not '.')
            {
                return false;
            }
        }

        var rest = s[(colon + 1)..];
        if (schemeSpan.Equals("sip", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseSip("sip", rest, out uri);
        }

        if (schemeSpan.Equals("sips", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseSip("sips", rest, out uri);
        }

        if (schemeSpan.Equals("tel", StringComparison.OrdinalIgnoreCase))
        {
            return TryParseTel(rest, out uri);
        }

        if (rest.Length == 0 || !IsOpaqueText(rest))
        {
            return false;
        }

        uri = new SipUri(schemeSpan.ToString(), null, string.Empty) { Opaque = rest.ToString() };
        return true;
    }

    private static bool IsOpaqueText(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (c <= ' ' || c >= 0x7F || c is '<' or '>' or '"' or '\\')
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryParseSip(string scheme, ReadOnlySpan<char> s, [NotNullWhen(true)] out SipUri? uri)
    {
        uri = null;
        string? user = null;
        string? password = null;
        var at = s.IndexOf('@');
        if (at >= 0)
        {
            var userInfo = s[..at];
            var pc = userInfo.IndexOf(':');
            var userSpan = pc >= 0 ? userInfo[..pc] : userInfo;
            if (userSpan.Length == 0 || !IsEscapedText(userSpan, SipGrammar.UserChars)
                || !SipGrammar.TryUnescape(userSpan, out var u))
            {
                return false;
            }

            user = u;
            if (pc >= 0)
            {
                var pw = userInfo[(pc + 1)..];
                if (!IsEscapedText(pw, SipGrammar.PasswordChars) || !SipGrammar.TryUnescape(pw, out password))
                {
                    return false;
                }
            }

            s = s[(at + 1)..];
        }

        var consumed = SipGrammar.ReadHostPort(s, false, out var host, out var port);
        if (consumed <= 0)
        {
            return false;
        }

        var result = new SipUri(scheme, user, host) { Password = password, Port = port };
        s = s[consumed..];
        var q = s.IndexOf('?');
        var paramPart = q >= 0 ? s[..q] : s;
        if (!TryReadUriParams(paramPart, result._parameters))
        {
            return false;
        }

        if (q >= 0 && !TryReadUriHeaders(s[(q + 1)..], result._headers))
        {
            return false;
        }

        uri = result;
        return true;
    }

    private static bool TryParseTel(ReadOnlySpan<char> s, [NotNullWhen(true)] out SipUri? uri)
    {
        uri = null;
        var semi = s.IndexOf(';');
        var number = semi >= 0 ? s[..semi] : s;
        if (number.Length == 0 || !IsEscapedText(number, SipGrammar.TelChars) || number.Contains('@')
            || !SipGrammar.TryUnescape(number, out var n))
        {
            return false;
        }

        var result = new SipUri("tel", n, string.Empty);
        if (semi >= 0 && !TryReadUriParams(s[semi..], result._parameters))
        {
            return false;
        }

        uri = result;
        return true;
    }

    private static bool IsEscapedText(ReadOnlySpan<char> s, System.Buffers.SearchValues<char> allowed)
    {
        foreach (var c in s)
        {
            if (c != '%' && !allowed.Contains(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool TryReadUriParams(ReadOnlySpan<char> s, ParameterCollection<string?> into)
    {
        while (s.Length > 0)
        {
            if (s[0] != ';')
            {
                return false;
            }

            s = s[1..];
            var end = s.IndexOf(';');
            var item = end >= 0 ? s[..end] : s;
            s = end >= 0 ? s[end..] : [];
            var eq = item.IndexOf('=');
            var nameSpan = eq >= 0 ? item[..eq] : item;
            if (nameSpan.Length == 0 || !IsEscapedText(nameSpan, SipGrammar.ParamChars)
                || !SipGrammar.TryUnescape(nameSpan, out var name) || into.ContainsKey(name))
            {
                return false;
            }

            string? value = null;
            if (eq >= 0)
            {
                var v = item[(eq + 1)..];
                if (v.Length == 0 || !IsEscapedText(v, SipGrammar.ParamChars) || !SipGrammar.TryUnescape(v, out value))
                {
                    return false;
                }
            }

            into.Add(name, value);
        }

        return true;
    }

    private static bool TryReadUriHeaders(ReadOnlySpan<char> s, ParameterCollection<string> into)
    {
        if (s.Length == 0)
        {
            return false;
        }

        while (true)
        {
            var amp = s.IndexOf('&');
            var item = amp >= 0 ? s[..amp] : s;
            var eq = item.IndexOf('=');
            if (eq <= 0)
            {
                return false;
            }

            var n = item[..eq];
            var v = item[(eq + 1)..];
            if (!IsEscapedText(n, SipGrammar.HeaderChars) || !IsEscapedText(v, SipGrammar.HeaderChars)
                || !SipGrammar.TryUnescape(n, out var name) || !SipGrammar.TryUnescape(v, out var value))
            {
                return false;
            }

            into[name] = value;
            if (amp < 0)
            {
                return true;
            }

            s = s[(amp + 1)..];
        }
    }

    /// <summary>Makes this URI and its parameter and header collections read-only (a cached header view's URI).</summary>
    internal void MakeReadOnly()
    {
        _readOnly = true;
        _parameters.MakeReadOnly();
        _headers.MakeReadOnly();
    }

    /// <summary>A deep copy, writable.</summary>
    public SipUri Clone()
    {
        var copy = new SipUri(Scheme, User, Host) { Password = Password, Port = Port, Opaque = Opaque };
        copy._parameters.CopyFrom(_parameters);
        copy._headers.CopyFrom(_headers);
        return copy;
    }

    private T Writable<T>(T value)
    {
        if (_readOnly)
        {
            ReadOnlyView.Throw();
        }

        return value;
    }

    /// <summary>The URI text with the user part, parameters and headers escaped.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(64);
        AppendTo(sb);
        return sb.ToString();
    }

    internal void AppendTo(StringBuilder sb)
    {
        sb.Append(Scheme).Append(':');
        if (Opaque is not null)
        {
            sb.Append(Opaque);
            return;
        }

        if (Scheme == "tel")
        {
            SipGrammar.AppendEscaped(sb, User ?? string.Empty, SipGrammar.TelChars);
        }
        else
        {
            if (User is not null)
            {
                SipGrammar.AppendEscaped(sb, User, SipGrammar.UserChars);
                if (Password is not null)
                {
                    sb.Append(':');
                    SipGrammar.AppendEscaped(sb, Password, SipGrammar.PasswordChars);
                }

                sb.Append('@');
            }

            sb.Append(Host);
            if (Port is { } port)
            {
                sb.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
            }
        }

        foreach (var (name, value) in _parameters)
        {
            sb.Append(';');
            SipGrammar.AppendEscaped(sb, name, SipGrammar.ParamChars);
            if (value is not null)
            {
                sb.Append('=');
                SipGrammar.AppendEscaped(sb, value, SipGrammar.ParamChars);
            }
        }

        var first = true;
        foreach (var (name, value) in _headers)
        {
            sb.Append(first ? '?' : '&');
            first = false;
            SipGrammar.AppendEscaped(sb, name, SipGrammar.HeaderChars);
            sb.Append('=');
            SipGrammar.AppendEscaped(sb, value, SipGrammar.HeaderChars);
        }
    }
}
