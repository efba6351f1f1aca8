using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace Telephony.Pbx.Sip.Messages;

/// <summary>
/// One Via entry (RFC 3261 §20.42, §18.2.1 received, RFC 3581 rport): sent-protocol, sent-by and via-params.
/// The top Via a <see cref="SipMessage"/> hands out is a read-only view parsed once per header value
/// (<see cref="IsReadOnly"/>); <see cref="Clone"/> gives a copy to change.
/// </summary>
public sealed class Via
{
    private static readonly string[] Transports = ["UDP", "TCP", "TLS", "WS", "WSS", "SCTP", "TLS-SCTP"];

    private readonly ParameterCollection<string?> _parameters = new();
    private string _transport;
    private string _host;
    private int? _port;

    public Via(string transport, string host, int? port = null)
    {
        _transport = transport ?? throw new ArgumentNullException(nameof(transport));
        _host = host ?? throw new ArgumentNullException(nameof(host));
        Port = port;
    }

    /// <summary>"UDP", "TCP", "TLS", "WS", ... (upper-cased when parsed).</summary>
    public string Transport
    {
        get => _transport;
        set => _transport = Writable(value ?? throw new ArgumentNullException(nameof(value)));
    }

    /// <summary>sent-by host; IPv6 kept with brackets.</summary>
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

    /// <summary>True for the top Via a <see cref="SipMessage"/> caches (its parameters too).</summary>
    public bool IsReadOnly => HeaderText is not null;

    /// <summary>The header field value a read-only view was parsed from (the message's cache key); else null.</summary>
    internal string? HeaderText { get; private set; }

    /// <summary>via-params in order; values keep quotes when quoted.</summary>
    public IDictionary<string, string?> Parameters => _parameters;

    public string? Branch
    {
        get => _parameters.GetOrDefault("branch");
        set => SetOrRemove("branch", value);
    }

    public string? Received
    {
        get => _parameters.GetOrDefault("received");
        set => SetOrRemove("received", value);
    }

    /// <summary>";rport" present, with or without a value (RFC 3581).</summary>
    public bool HasRPort => _parameters.ContainsKey("rport");

    /// <summary>The rport value; setting a value also makes <see cref="HasRPort"/> true; null leaves a bare ;rport.</summary>
    public int? RPort
    {
        get => _parameters.GetOrDefault("rport") is { } v
               && int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null;
        set => _parameters["rport"] = value?.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Parses one Via entry (not a comma list); LWS tolerated around '/', ':', ';' and '='.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Via? via)
    {
        via = null;
        if (text is null)
        {
            return false;
        }

        var s = SipGrammar.TrimLws(text.AsSpan());
        var i = 0;
        if (!ReadToken(s, ref i, out var protocol) || !protocol.Equals("SIP", StringComparison.OrdinalIgnoreCase)
            || !ReadSlash(s, ref i) || !ReadToken(s, ref i, out var version) || !version.SequenceEqual("2.0")
            || !ReadSlash(s, ref i) || !ReadToken(s, ref i, out var transport))
        {
            return false;
        }

        var afterTransport = i;
        i = SipGrammar.SkipLws(s, i);
        if (i == afterTransport)
        {
            return false;
        }

        var consumed = SipGrammar.ReadHostPort(s[i..], true, out var host, out var port);
        if (consumed <= 0)
        {
            return false;
        }

        var result = new Via(KnownTransport(transport) ?? transport.ToString().ToUpperInvariant(), host, port);
        if (!SipGrammar.TryReadHeaderParams(s[(i + consumed)..], result._parameters))
        {
            return false;
        }

        via = result;
        return true;

        static bool ReadToken(ReadOnlySpan<char> s, ref int i, out ReadOnlySpan<char> token)
        {
            var n = SipGrammar.TokenLength(s[i..]);
            token = s.Slice(i, n);
            i += n;
            return n > 0;
        }

        static bool ReadSlash(ReadOnlySpan<char> s, ref int i)
        {
            i = SipGrammar.SkipLws(s, i);
            if (i >= s.Length || s[i] != '/')
            {
                return false;
            }

            i = SipGrammar.SkipLws(s, i + 1);
            return true;
        }
    }

    /// <summary>A copy, writable; the same text as this one.</summary>
    public Via Clone()
    {
        var copy = new Via(_transport, _host, _port);
        copy._parameters.CopyFrom(_parameters);
        return copy;
    }

    /// <summary>Makes this freshly parsed value the read-only view of the header value <paramref name="text"/>.</summary>
    internal Via AsView(string text)
    {
        HeaderText = text;
        _parameters.MakeReadOnly();
        return this;
    }

    private T Writable<T>(T value)
    {
        if (IsReadOnly)
        {
            ReadOnlyView.Throw();
        }

        return value;
    }

    private static string? KnownTransport(ReadOnlySpan<char> t)
    {
        foreach (var known in Transports)
        {
            if (t.Equals(known, StringComparison.OrdinalIgnoreCase))
            {
                return known;
            }
        }

        return null;
    }

    /// <summary>"SIP/2.0/UDP host:port;branch=z9hG4bK...;rport=5060".</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(96).Append("SIP/2.0/").Append(Transport).Append(' ').Append(Host);
        if (Port is { } port)
        {
            sb.Append(':').Append(port.ToString(CultureInfo.InvariantCulture));
        }

        SipGrammar.AppendHeaderParams(sb, _parameters);
        return sb.ToString();
    }

    private void SetOrRemove(string name, string? value)
    {
        if (value is null)
        {
            _parameters.Remove(name);
        }
        else
        {
            _parameters[name] = value;
        }
    }
}
