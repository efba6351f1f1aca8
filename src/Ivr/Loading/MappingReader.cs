using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Telephony.Ivr.Loading;

/// <summary>
/// Reads one YAML mapping: rejects unknown keys (with a suggestion) and converts values, reporting errors with marks.
/// </summary>
internal sealed class MappingReader
{
    private readonly LoadContext _context;
    private readonly Dictionary<string, (YamlScalarNode Key, YamlNode Value)> _entries = new(StringComparer.Ordinal);

    private MappingReader(LoadContext context, YamlMappingNode node, string what)
    {
        _context = context;
        Node = node;
        What = what;
    }

    public YamlMappingNode Node { get; }
    public string What { get; }

    /// <summary>
    /// Opens <paramref name="node"/> as a mapping of <paramref name="what"/>; null (with an error) when it is not a mapping.
    /// </summary>
    public static MappingReader? Open(LoadContext context, YamlNode node, string what, IReadOnlyCollection<string> allowedKeys)
    {
        if (node is not YamlMappingNode mapping)
        {
            context.Error(node, $"{what} must be a mapping of keys to values");
            return null;
        }
        var reader = new MappingReader(context, mapping, what);
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key } scalarKey)
            {
                context.Error(keyNode, $"{what}: keys must be plain words");
                continue;
            }
            if (!allowedKeys.Contains(key))
            {
                context.Error(keyNode, $"unknown key '{key}' in {what}{Suggestions.DidYouMean(key, allowedKeys)}");
                continue;
            }
            reader._entries[key] = (scalarKey, value);
        }
        return reader;
    }

    public bool Has(string key) => _entries.ContainsKey(key);

    public YamlNode? Get(string key) => _entries.TryGetValue(key, out var entry) ? entry.Value : null;

    public YamlScalarNode? KeyNode(string key) => _entries.TryGetValue(key, out var entry) ? entry.Key : null;

    public YamlNode Required(string key)
    {
        var value = Get(key);
        if (value is null)
        {
            _context.Error(Node, $"{What} is missing '{key}'");
        }
        return value!;
    }

    public string? String(string key, bool required = false)
    {
        var value = required ? Required(key) : Get(key);
        return value is null ? null : Scalar(value, key);
    }

    public string? Scalar(YamlNode value, string key)
    {
        if (value is YamlScalarNode { Value: { } text })
        {
            return text;
        }
        _context.Error(value, $"'{key}' in {What} must be a single value");
        return null;
    }

    public int? Int(string key, int min, int max)
    {
        var value = Get(key);
        if (value is null || Scalar(value, key) is not { } text)
        {
            return null;
        }
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            || number < min || number > max)
        {
            _context.Error(value, $"'{key}' in {What} must be a whole number from {min} to {max}, not '{text}'");
            return null;
        }
        return number;
    }

    public bool? Bool(string key)
    {
        var value = Get(key);
        if (value is null || Scalar(value, key) is not { } text)
        {
            return null;
        }
        switch (text)
        {
            case "true" or "yes" or "on": return true;
            case "false" or "no" or "off": return false;
        }
        _context.Error(value, $"'{key}' in {What} must be true or false, not '{text}'");
        return null;
    }

    public TimeSpan? Duration(string key)
    {
        var value = Get(key);
        if (value is null || Scalar(value, key) is not { } text)
        {
            return null;
        }
        if (!DurationText.TryParse(text, out var duration) || duration <= TimeSpan.Zero)
        {
            _context.Error(value, $"'{key}' in {What} must be a duration like 5s, 500ms, 2m or 1m30s, not '{text}'");
            return null;
        }
        return duration;
    }

    /// <summary>A digit key (0-9, *, #) written as a quoted or plain scalar.</summary>
    public char? Digit(string key)
    {
        var value = Get(key);
        return value is null ? null : DigitOf(value, key);
    }

    public char? DigitOf(YamlNode value, string key)
    {
        if (Scalar(value, key) is not { } text)
        {
            return null;
        }
        if (text.Length != 1 || !IsDtmf(text[0]))
        {
            _context.Error(value, $"'{key}' in {What} must be one key of the phone pad (0-9, * or #), not '{text}'");
            return null;
        }
        return text[0];
    }

    /// <summary>A scalar or a sequence of scalars.</summary>
    public List<(string Text, YamlNode Node)>? List(string key)
    {
        var value = Get(key);
        return value is null ? null : ListOf(value, key);
    }

    public List<(string Text, YamlNode Node)>? ListOf(YamlNode value, string key)
    {
        switch (value)
        {
            case YamlScalarNode { Value: { } text }:
                return [(text, value)];
            case YamlSequenceNode sequence:
                var items = new List<(string, YamlNode)>();
                foreach (var item in sequence.Children)
                {
                    if (Scalar(item, key) is { } text)
                    {
                        items.Add((text, item));
                    }
                }
                return items;
            default:
                _context.Error(value, $"'{key}' in {What} must be a value or a list of values");
                return null;
        }
    }

    /// <summary>A mapping of plain string keys to plain string values (variables:).</summary>
    public Dictionary<string, string>? StringMap(string key)
    {
        var value = Get(key);
        if (value is null)
        {
            return null;
        }
        if (value is not YamlMappingNode mapping)
        {
            _context.Error(value, $"'{key}' in {What} must be a mapping of names to values");
            return null;
        }
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in mapping.Children)
        {
            if (k is YamlScalarNode { Value: { } name } && Scalar(v, key + "." + name) is { } text)
            {
                map[name] = text;
            }
        }
        return map;
    }

    public static bool IsDtmf(char c) => char.IsAsciiDigit(c) || c is '*' or '#';
}
