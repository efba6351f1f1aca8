using System.CommandLine;

namespace Telephony.Host.Cli;

/// <summary>
/// <c>--config DIR</c>, <c>--data DIR</c> and <c>--sounds DIR</c> of the commands that load the server's configuration
/// (serve, config check, cluster status): shorthands for <c>TELEPHONY_PATHS__CONFIGDIRECTORY</c>,
/// <c>TELEPHONY_DATA__DIRECTORY</c> and <c>TELEPHONY_PATHS__SOUNDSDIRECTORY</c>, relative to the working directory.
/// </summary>
internal sealed class ServerLocationOptions
{
    public const string ConfigName = "--config";
    public const string DataName = "--data";
    public const string SoundsName = "--sounds";

    public Option<string?> Config { get; } = new(ConfigName, "-c")
    {
        Description = "Configuration folder (telephony.yaml, extensions.yaml, ivr.yaml, queues.yaml); default config/",
        HelpName = "dir",
    };

    public Option<string?> Data { get; } = new(DataName, "-d")
    {
        Description = "Data folder (database, recordings, logs, keys); default data.directory, relative to the folder holding config/",
        HelpName = "dir",
    };

    public Option<string?> Sounds { get; } = new(SoundsName)
    {
        Description = "Prompts folder; default sounds/",
        HelpName = "dir",
    };

    public void AddTo(Command command)
    {
        command.Add(Config);
        command.Add(Data);
        command.Add(Sounds);
    }

    /// <summary>The configuration overrides followed by the options given, as configuration arguments.</summary>
    public List<string> ToServerArguments(ParseResult parseResult, IEnumerable<string> overrides)
    {
        var arguments = new List<string>(overrides);
        if (parseResult.GetValue(Config) is { } config)
        {
            arguments.Add("--paths:configDirectory=" + Path.GetFullPath(config));
        }
        if (parseResult.GetValue(Data) is { } data)
        {
            arguments.Add("--data:directory=" + Path.GetFullPath(data));
        }
        if (parseResult.GetValue(Sounds) is { } sounds)
        {
            arguments.Add("--paths:soundsDirectory=" + Path.GetFullPath(sounds));
        }
        return arguments;
    }
}
