using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Telephony.Pbx.Queues.Configuration;

/// <summary>Reads <c>config/queues.yaml</c> (schema in <c>Queues/README.md</c>) into a <see cref="QueuesConfig"/>.
/// Every problem is reported with file, line and column; unknown keys are errors so typos do not pass silently.</summary>
public static partial class QueuesConfigLoader
{
    /// <summary>Loads and validates a file. Throws <see cref="QueuesConfigException"/> listing every problem.</summary>
    public static QueuesConfig LoadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new QueuesConfigException([new QueuesConfigError(path, 0, 0, ex.Message)]);
        }
        return Parse(text, path);
    }

    /// <summary>Parses and validates YAML text; <paramref name="fileName"/> is only used in error messages.</summary>
    public static QueuesConfig Parse(string yaml, string fileName = "queues.yaml")
    {
        var (config, errors) = TryParse(yaml, fileName);
        if (errors.Count > 0)
        {
            throw new QueuesConfigException(errors);
        }
        return config!;
    }

    /// <summary>Parses without throwing: either a config and no errors, or null and at least one error.</summary>
    public static (QueuesConfig? Config, IReadOnlyList<QueuesConfigError> Errors) TryParse(string yaml, string fileName = "queues.yaml")
    {
        var reader = new Reader(fileName);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            reader.Error(ex.Start, ex.InnerException?.Message ?? ex.Message);
            return (null, reader.Errors);
        }
        if (stream.Documents.Count == 0)
        {
            reader.Errors.Add(new QueuesConfigError(fileName, 0, 0, "the file is empty: expected a 'queues:' list"));
            return (null, reader.Errors);
        }
        var config = reader.ReadRoot(stream.Documents[0].RootNode);
        if (reader.Errors.Count == 0)
        {
            reader.Validate(config);
        }
        return reader.Errors.Count == 0 ? (config, []) : (null, reader.Errors);
    }

    private static readonly string[] RootKeys = ["loginOnRegister", "defaults", "queues"];
    private static readonly string[] SettingKeys =
    [
        "strategy", "ringTimeoutSeconds", "wrapUpSeconds", "maxWaitSeconds", "overflow", "announceIntervalSeconds",
        "noAnswerSkipSeconds", "priorityAging", "defaultHandleTimeSeconds", "handleTimeWindow", "holdMusic",
        "serviceLevelSeconds", "shortAbandonSeconds", "callback", "dispositions", "dispositionRequired", "survey",
    ];

    /// <summary>Most disposition codes per queue: the keypad picks one with a single digit (<c>*5</c> + 1-9).</summary>
    public const int MaxDispositions = 9;
    private static readonly string[] QueueKeys = [.. SettingKeys, "name", "members"];

    private static QueueStrategy? ParseStrategy(string value) => value switch
    {
        "longest-idle" => QueueStrategy.LongestIdle,
        "round-robin" => QueueStrategy.RoundRobin,
        "ring-all" => QueueStrategy.RingAll,
        _ => null,
    };

    private static bool TryParseInt(string? value, out int result) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out result);
}
