using Microsoft.Extensions.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Telephony.Host.Configuration;

/// <summary>Flattens a YAML document into configuration keys. Syntax errors name file, line and column.</summary>
public sealed class YamlConfigurationProvider(YamlConfigurationSource source) : ConfigurationProvider
{
    public override void Load()
    {
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (!File.Exists(source.Path))
        {
            if (source.Optional)
            {
                Data = data;
                return;
            }
            throw new ConfigurationFileException(source.Path, 0, 0, "file not found");
        }

        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(source.Path);
            stream.Load(reader);
        }
        catch (YamlException ex)
        {
            throw new ConfigurationFileException(source.Path, (int)ex.Start.Line, (int)ex.Start.Column, ex.InnerException?.Message ?? ex.Message);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner throws this, without a position, on some unclosed flow collections ("[5060").
            throw new ConfigurationFileException(source.Path, 0, 0, $"not valid YAML (an unclosed '[' or '{{'?): {ex.Message}");
        }

        if (stream.Documents.Count > 0)
        {
            var root = stream.Documents[0].RootNode;
            if (root is not YamlMappingNode and not YamlScalarNode)
            {
                throw new ConfigurationFileException(source.Path, (int)root.Start.Line, (int)root.Start.Column, "the top level must be a mapping of sections");
            }
            Visit(root, prefix: null, data);
        }
        Data = data;
    }

    private void Visit(YamlNode node, string? prefix, Dictionary<string, string?> data)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (key, value) in map.Children)
                {
                    if (key is not YamlScalarNode { Value: { } name })
                    {
                        throw new ConfigurationFileException(source.Path, (int)key.Start.Line, (int)key.Start.Column, "keys must be plain names");
                    }
                    var full = prefix is null ? name : prefix + ConfigurationPath.KeyDelimiter + name;
                    if (data.ContainsKey(full))
                    {
                        throw new ConfigurationFileException(source.Path, (int)key.Start.Line, (int)key.Start.Column, $"duplicate key '{name}'");
                    }
                    Visit(value, full, data);
                }
                break;
            case YamlSequenceNode seq:
                for (var i = 0; i < seq.Children.Count; i++)
                {
                    Visit(seq.Children[i], (prefix ?? "") + ConfigurationPath.KeyDelimiter + i.ToString(System.Globalization.CultureInfo.InvariantCulture), data);
                }
                break;
            case YamlScalarNode scalar when prefix is not null:
                data[prefix] = scalar.Value;
                break;
        }
    }
}
