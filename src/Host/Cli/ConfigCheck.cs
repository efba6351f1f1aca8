using System.Globalization;
using Microsoft.Extensions.Configuration;
using Telephony.Host.Configuration;
using Telephony.Host.Recording;
using Telephony.Host.Security;
using Telephony.Host.Statistics;
using Telephony.Ivr.Loading;
using Telephony.Pbx.Queues.Configuration;

namespace Telephony.Host.Cli;

/// <summary>
/// <c>config check</c>: loads every configuration file the server loads at start (telephony.yaml, extensions.yaml,
/// queues.yaml, ivr.yaml), binds and validates the settings the way <c>serve</c> does, and prints each problem as
/// <c>file:line:column: field problem</c> (or the environment variable / argument that set it). Writes nothing.
/// Exit 0 when the server would accept the configuration, 1 otherwise (<c>serve</c> then refuses to start with the same
/// lines and the same exit code).
/// </summary>
public static class ConfigCheck
{
    public static int Run(IReadOnlyList<string> serverArguments, HostConsole console) =>
        Run(serverArguments, console, ConfigKeyLocator.ProcessEnvironment());

    public static int Run(IReadOnlyList<string> serverArguments, HostConsole console, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(serverArguments);
        ArgumentNullException.ThrowIfNull(console);
        IConfiguration configuration;
        string configDir;
        try
        {
            (configuration, configDir) = TelephonyConfiguration.Load([.. serverArguments]);
        }
        catch (ConfigurationFileException ex)
        {
            console.Error.WriteLine(ex.Message);
            console.Error.WriteLine("1 problem: the configuration is refused");
            return ExitCodes.Invalid;
        }

        var telephonyYaml = Path.Combine(configDir, "telephony.yaml");
        var extensionsYaml = Path.Combine(configDir, "extensions.yaml");
        var locator = new ConfigKeyLocator([telephonyYaml, extensionsYaml], environment, serverArguments);
        var settingsProblems = new List<string>();
        var report = new List<string> { $"config: {configDir}" };
        var baseDirectory = Directory.GetParent(configDir)?.FullName ?? Directory.GetCurrentDirectory();

        var pbx = Check(settingsProblems, () => TelephonyConfiguration.BindPbx(configuration));
        if (pbx is not null)
        {
            settingsProblems.AddRange(pbx.Validate());
            report.Add($"  telephony.yaml: SIP udp {pbx.Sip.UdpPort} / tcp {pbx.Sip.TcpPort}, RTP {pbx.Rtp.PortMin}-{pbx.Rtp.PortMax}, " +
                $"{pbx.Trunks.Count} trunk(s); sounds {pbx.SoundsDirectory}");
            if (!Directory.Exists(pbx.SoundsDirectory))
            {
                settingsProblems.Add($"paths.soundsDirectory '{pbx.SoundsDirectory}' does not exist");
            }
        }
        CheckHttp(configuration, settingsProblems);
        var dataDirectory = Check(settingsProblems,
            () => Path.GetFullPath(configuration["data:directory"] ?? "data", baseDirectory));
        if (dataDirectory is not null)
        {
            var recording = Check(settingsProblems, () => RecordingSettings.Load(configuration, dataDirectory));
            report.Add($"  data: {dataDirectory}" + (recording is null ? ""
                : recording.Provider == Telephony.Recording.Storage.StorageProvider.Postgres ? $" (database postgres: {recording.DescribeStorage()})"
                : $" (database {recording.Database})"));
        }
        Check(settingsProblems, () => StatisticsSettings.Load(configuration));
        var security = Check(settingsProblems, () => SecuritySettings.Load(configuration, baseDirectory));
        if (security is { HttpsPort: > 0, CertificateFile: not null } && dataDirectory is not null)
        {
            // A configured certificate is only read: nothing is created.
            Check(settingsProblems, () => ServerCertificate.LoadOrCreate(security.CertificateFile, security.KeyFile, dataDirectory));
        }
        var accounts = Check(settingsProblems, () =>
        {
            var directory = AccountDirectory.Load(configuration, out var accountProblems);
            settingsProblems.AddRange(accountProblems);
            return directory;
        });
        if (pbx is not null && accounts is not null)
        {
            report.Add($"  extensions.yaml: {pbx.Extensions.Count} extension(s), {accounts.Accounts.Count} console account(s)");
        }
        if (configuration["ivr:clock"] is { Length: > 0 } clock
            && !DateTimeOffset.TryParse(clock, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            settingsProblems.Add($"ivr.clock '{clock}' is not a date and time like 2026-11-23T10:00:00+01:00");
        }

        var problems = settingsProblems.Select(p => locator.Describe(ConfigKeyLocator.Readable(p), telephonyYaml)).ToList();
        CheckQueues(Path.Combine(configDir, "queues.yaml"), problems, report);
        CheckIvr(Path.Combine(configDir, "ivr.yaml"), pbx, problems, report);

        foreach (var line in report)
        {
            console.Out.WriteLine(line);
        }
        if (problems.Count == 0)
        {
            console.Out.WriteLine("Configuration OK");
            return ExitCodes.Ok;
        }
        foreach (var problem in problems)
        {
            console.Error.WriteLine(problem);
        }
        console.Error.WriteLine($"{problems.Count} problem(s): the configuration is refused");
        return ExitCodes.Invalid;
    }

    /// <summary>
    /// The problems of <c>queues.yaml</c> and <c>ivr.yaml</c> in <paramref name="configDir"/>, each as
    /// <c>file:line:column: problem</c> exactly as <c>config check</c> prints them; empty when both are good or absent.
    /// <c>serve</c> refuses to start on any (a refused IVR tree would leave the trunk's number to the extension map).
    /// </summary>
    public static IReadOnlyList<string> ApplicationFileProblems(string configDir, Pbx.Calls.Configuration.PbxOptions? pbx)
    {
        ArgumentNullException.ThrowIfNull(configDir);
        var problems = new List<string>();
        var report = new List<string>();
        CheckQueues(Path.Combine(configDir, "queues.yaml"), problems, report);
        CheckIvr(Path.Combine(configDir, "ivr.yaml"), pbx, problems, report);
        return problems;
    }

    private static void CheckHttp(IConfiguration configuration, List<string> problems)
    {
        var address = configuration["http:address"] ?? "0.0.0.0";
        if (!System.Net.IPAddress.TryParse(address, out _))
        {
            problems.Add($"http.address '{address}' is not an IP address");
        }
        var port = configuration["http:port"] ?? "8080";
        if (!int.TryParse(port, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value is < 0 or > 65535)
        {
            problems.Add($"http.port '{port}' is not a port number");
        }
    }

    private static void CheckQueues(string path, List<string> problems, List<string> report)
    {
        if (!File.Exists(path))
        {
            report.Add("  queues.yaml: none (queues are off)");
            return;
        }
        try
        {
            var config = QueuesConfigLoader.LoadFile(path);
            report.Add($"  queues.yaml: {config.Queues.Count} queue(s): {string.Join(", ", config.Queues.Select(q => q.Name))}");
        }
        catch (QueuesConfigException ex)
        {
            problems.AddRange(ex.Errors.Select(e => e.ToString()));
        }
    }

    private static void CheckIvr(string path, Pbx.Calls.Configuration.PbxOptions? pbx, List<string> problems, List<string> report)
    {
        if (!File.Exists(path))
        {
            report.Add("  ivr.yaml: none (the IVR is off)");
            return;
        }
        var result = YamlFlowLoader.LoadFile(path, pbx?.SoundsDirectory,
            outboundTrunks: pbx is null ? null : [.. pbx.Trunks.Where(t => t.Outbound is not null).Select(t => t.Name)]);
        if (result.Succeeded)
        {
            report.AddRange(result.Flows!.Flows.Select(f =>
                $"  ivr.yaml: flow '{f.Name}' answers {string.Join(", ", f.Numbers)}: {f.Nodes.Count} nodes"));
            return;
        }
        problems.AddRange(result.Errors.Select(e => e.ToString()));
    }

    private static T? Check<T>(List<string> problems, Func<T> load)
        where T : class
    {
        try
        {
            return load();
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or ArgumentException)
        {
            problems.Add(ex.Message);
            return null;
        }
    }
}
