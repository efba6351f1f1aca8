using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Telephony.Host.Cli;

/// <summary>
/// Finds where a configuration key was set: the YAML file, line and column of <c>sip.udpPort</c> or
/// <c>extensions[2].password</c>, or the <c>TELEPHONY_…</c> environment variable or <c>--section:key</c> argument that
/// overrides it. Used to turn a settings problem ("sip.udpPort 70000 is not a port number") into
/// <c>config/telephony.yaml:4:3: sip.udpPort 70000 is not a port number</c>.
/// </summary>
public sealed partial class ConfigKeyLocator
{
    private readonly Dictionary<string, (string File, int Line, int Column)> _keys = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string> _overrideSources = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Indexes <paramref name="yamlFiles"/> (later files win, as in the configuration) and the overrides from
    /// <paramref name="environment"/> (<c>TELEPHONY_</c> variables) and <paramref name="arguments"/>.</summary>
    public ConfigKeyLocator(IEnumerable<string> yamlFiles, IReadOnlyDictionary<string, string> environment, IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(yamlFiles);
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(arguments);
        foreach (var file in yamlFiles.Where(File.Exists))
        {
            Index(file);
        }
        foreach (var (name, _) in environment)
        {
            if (name.StartsWith(Configuration.TelephonyConfiguration.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase))
            {
                var key = name[Configuration.TelephonyConfiguration.EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal);
                _overrideSources[key] = "environment variable " + name;
            }
        }
        foreach (var arg in arguments.Where(a => a.StartsWith("--", StringComparison.Ordinal)))
        {
            var key = arg[2..].Split('=', 2)[0];
            _overrideSources[key] = "command line " + arg.Split('=', 2)[0];
        }
    }

    /// <summary>
    /// <paramref name="problem"/> located in the server's own files (the config folder found from
    /// <paramref name="serverArguments"/> as <c>serve</c> finds it) or in the environment variable or argument that set it;
    /// the problem as it is when the files cannot be read.
    /// </summary>
    public static string DescribeForServer(IReadOnlyList<string> serverArguments, string problem)
    {
        ArgumentNullException.ThrowIfNull(serverArguments);
        ArgumentNullException.ThrowIfNull(problem);
        try
        {
            var (_, configDir) = Configuration.TelephonyConfiguration.Load([.. serverArguments]);
            var telephonyYaml = Path.Combine(configDir, "telephony.yaml");
            return new ConfigKeyLocator([telephonyYaml, Path.Combine(configDir, "extensions.yaml")], ProcessEnvironment(), serverArguments)
                .Describe(Readable(problem), telephonyYaml);
        }
        catch (Configuration.ConfigurationFileException)
        {
            return problem;
        }
    }

    /// <summary>The process environment as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> ProcessEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => e.Value as string ?? "", StringComparer.Ordinal);

    /// <summary>
    /// <paramref name="problem"/> prefixed with where its key was set (<c>file:line:column: </c> or
    /// <c>environment variable X: </c>); the problem text itself names the field.
    /// </summary>
    public string Describe(string problem, string fallbackFile)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var key = KeyOf(problem);
        if (key is null)
        {
            return $"{fallbackFile}: {problem}";
        }
        for (var candidate = key; candidate.Length > 0; candidate = Parent(candidate))
        {
            if (_overrideSources.TryGetValue(candidate, out var source))
            {
                return $"{source}: {problem}";
            }
            if (_keys.TryGetValue(candidate, out var place))
            {
                return $"{place.File}:{place.Line}:{place.Column}: {problem}";
            }
        }
        return $"{fallbackFile}: {problem} (not set in the file: the built-in default)";
    }

    /// <summary>
    /// Rewrites the configuration binder's "Failed to convert configuration value 'abc' at 'sip:TcpPort' to type
    /// 'System.Int32'." as "sip.tcpPort 'abc' must be a whole number"; other messages are returned as they are.
    /// </summary>
    public static string Readable(string problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var match = BinderMessage().Match(problem);
        if (!match.Success)
        {
            return problem;
        }
        var field = string.Join('.', match.Groups["key"].Value.Split(':')
            .Select(s => int.TryParse(s, out _) ? $"[{s}]" : char.ToLowerInvariant(s[0]) + s[1..]))
            .Replace(".[", "[", StringComparison.Ordinal);
        var expected = match.Groups["type"].Value switch
        {
            "System.Int32" or "System.Int64" => "a whole number",
            "System.Boolean" => "true or false",
            "System.Double" => "a number",
            var other => "a " + other.Split('.')[^1],
        };
        return $"{field} '{match.Groups["value"].Value}' must be {expected}";
    }

    /// <summary>The configuration key (<c>sip:udpPort</c>, <c>extensions:2:password</c>) a problem message starts with.</summary>
    public static string? KeyOf(string problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        problem = Readable(problem);
        var match = DottedKey().Match(problem);
        if (!match.Success)
        {
            return null;
        }
        return IndexPattern().Replace(match.Value, ":$1").Replace('.', ':');
    }

    private static string Parent(string key)
    {
        var i = key.LastIndexOf(':');
        return i < 0 ? "" : key[..i];
    }

    private void Index(string file)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(file);
            stream.Load(reader);
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            return; // the configuration loader reports syntax errors with their position
        }
        if (stream.Documents.Count > 0)
        {
            Visit(file, stream.Documents[0].RootNode, prefix: null);
        }
    }

    private void Visit(string file, YamlNode node, string? prefix)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (keyNode, value) in map.Children)
                {
                    if (keyNode is YamlScalarNode { Value: { } name })
                    {
                        var key = prefix is null ? name : prefix + ":" + name;
                        _keys[key] = (file, (int)keyNode.Start.Line, (int)keyNode.Start.Column);
                        Visit(file, value, key);
                    }
                }
                break;
            case YamlSequenceNode sequence:
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    var item = sequence.Children[i];
                    var key = (prefix ?? "") + ":" + i.ToString(CultureInfo.InvariantCulture);
                    _keys[key] = (file, (int)item.Start.Line, (int)item.Start.Column);
                    Visit(file, item, key);
                }
                break;
        }
    }

    [GeneratedRegex(@"^Failed to convert configuration value '(?<value>.*)' at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial Regex BinderMessage();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9]*(\[\d+\])?(\.[A-Za-z][A-Za-z0-9]*(\[\d+\])?)*")]
    private static partial Regex DottedKey();

    [GeneratedRegex(@"\[(\d+)\]")]
    private static partial Regex IndexPattern();
}
