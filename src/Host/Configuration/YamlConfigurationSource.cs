using Microsoft.Extensions.Configuration;

namespace Telephony.Host.Configuration;

/// <summary>Adds a YAML file to <see cref="IConfiguration"/>; mappings become sections, sequences become 0,1,2 keys.</summary>
public sealed class YamlConfigurationSource(string path, bool optional) : IConfigurationSource
{
    public string Path { get; } = path;
    public bool Optional { get; } = optional;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new YamlConfigurationProvider(this);
}
