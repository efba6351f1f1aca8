using Microsoft.Extensions.Configuration;
using Telephony.Pbx.Calls.Configuration;

namespace Telephony.Host.Configuration;

/// <summary>
/// Builds the configuration: <c>config/telephony.yaml</c> and <c>config/extensions.yaml</c>, then environment
/// variables with the <c>TELEPHONY_</c> prefix (<c>TELEPHONY_SIP__UDPPORT=5070</c>), then the command line
/// (<c>--sip:udpPort=5070</c>).
/// </summary>
public static class TelephonyConfiguration
{
    public const string EnvironmentPrefix = "TELEPHONY_";

    public static (IConfiguration Configuration, string ConfigDirectory) Load(string[] args)
    {
        // Paths may themselves come from the environment or the command line.
        var bootstrap = new ConfigurationBuilder()
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddCommandLine(args)
            .Build();
        var configDir = TelephonyPaths.Resolve(bootstrap["paths:configDirectory"], "config", "telephony.yaml");

        var configuration = new ConfigurationBuilder()
            .Add(new YamlConfigurationSource(Path.Combine(configDir, "telephony.yaml"), optional: false))
            .Add(new YamlConfigurationSource(Path.Combine(configDir, "extensions.yaml"), optional: true))
            .AddEnvironmentVariables(EnvironmentPrefix)
            .AddCommandLine(args)
            .Build();
        return (configuration, configDir);
    }

    public static PbxOptions BindPbx(IConfiguration configuration)
    {
        var options = new PbxOptions();
        configuration.GetSection("sip").Bind(options.Sip);
        configuration.GetSection("rtp").Bind(options.Rtp);
        configuration.GetSection("numbers").Bind(options.Numbers);
        configuration.GetSection("extensions").Bind(options.Extensions);
        configuration.GetSection("trunks").Bind(options.Trunks);
        configuration.GetSection("cluster").Bind(options.Cluster);
        options.SoundsDirectory = TelephonyPaths.Resolve(configuration["paths:soundsDirectory"], "sounds", "README.md");
        return options;
    }
}
