using System.Globalization;
using Telephony.Interop.Tests.Engine;

namespace Telephony.Interop.Tests.Ivr;

/// <summary>
/// Shared set-up for the IVR + queue end-to-end tests: a server whose IVR clock starts on a Monday at 10:00 in Berlin
/// (the sample tree's office hours), optionally with a copy of config/ where queues.yaml is edited, and SIPp trunk
/// callers that press keys (RFC 4733) with uac-ivr.xml.
/// </summary>
internal static class IvrCalls
{
    public const string OpenClock = "2026-11-23T10:00:00+01:00";
    public const string ClosedClock = "2026-11-23T20:00:00+01:00";

    public static Task<ServerProcess> StartAsync(PortBlock ports, ITestOutputHelper output, string clock = OpenClock,
        string? configDirectory = null) =>
        StartCoreAsync(ports, output, new Dictionary<string, string?>
        {
            ["TELEPHONY_IVR__CLOCK"] = clock,
            ["TELEPHONY_PATHS__CONFIGDIRECTORY"] = configDirectory ?? RepoPaths.ConfigDirectory,
        });

    private static Task<ServerProcess> StartCoreAsync(PortBlock ports, ITestOutputHelper output, Dictionary<string, string?> env) =>
        ServerProcess.StartReadyAsync(ports, output, env);

    /// <summary>
    /// A copy of config/ whose after-hours voicemail ends after 1 s of silence instead of 5 s: a caller who says nothing
    /// after the closed message hears "no message" and the BYE 4 s sooner (what the tests assert is unchanged).
    /// </summary>
    public static string QuickAfterHoursConfig(string prefix) => ConfigCopy(prefix, queues => queues, ivr =>
        ivr.Contains("        silence: 5s\n", StringComparison.Ordinal)
            ? ivr.Replace("        silence: 5s\n", "        silence: 1s\n", StringComparison.Ordinal)
            : throw new InvalidOperationException("config/ivr.yaml: the after-hours voicemail's 'silence: 5s' moved"));

    /// <summary>A copy of config/ with <paramref name="edit"/> applied to queues.yaml.</summary>
    public static string ConfigCopy(string prefix, Func<string, string> editQueues) => ConfigCopy(prefix, editQueues, ivr => ivr);

    /// <summary>A copy of config/ with <paramref name="editQueues"/> applied to queues.yaml and <paramref name="editIvr"/>
    /// to ivr.yaml.</summary>
    public static string ConfigCopy(string prefix, Func<string, string> editQueues, Func<string, string> editIvr)
    {
        string dir = RepoPaths.NewTempDirectory(prefix);
        foreach (string file in Directory.GetFiles(RepoPaths.ConfigDirectory))
        {
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        }
        string queues = Path.Combine(dir, "queues.yaml");
        File.WriteAllText(queues, editQueues(File.ReadAllText(queues)));
        string ivr = Path.Combine(dir, "ivr.yaml");
        File.WriteAllText(ivr, editIvr(File.ReadAllText(ivr)));
        return dir;
    }

    /// <summary>
    /// Silence before a caller's first key: 1 s into the welcome. The sample tree's greeting is <c>barge_in</c> (the key
    /// stops it and is kept for the main menu) and a test tree's menu prompt is barge-in too, so no call waits the whole
    /// greeting out (it used to wait the welcome + 1.5 s, about 4.5 s, per call).
    /// </summary>
    public const double KeyInWelcomeSeconds = 1.0;

    /// <summary>A pcap of <paramref name="silenceSeconds"/> of silence, then RFC 4733 <paramref name="digits"/>.</summary>
    public static PcapSummary Keys(string dir, double silenceSeconds, string digits, string name = "keys.pcap") =>
        PcapBuilder.Write(Path.Combine(dir, name), new PcapStream
        {
            Audio = new short[(int)(silenceSeconds * 8000)],
            Digits = digits,
            TrailingSilenceMs = 200,
        });

    /// <summary>SIPp uac-ivr options: a trunk caller from <paramref name="from"/> to the 0800 number.</summary>
    public static SippOptions Caller(ServerProcess server, int sipPort, int mediaPort, string from, PcapSummary first,
        double pause1Seconds, PcapSummary second, double pause2Seconds) =>
        Engine.Engine.FromTrunk(server, "uac-ivr", Engine.Engine.Did, sipPort, mediaPort) with
        {
            Variables = new Dictionary<string, string> { ["from"] = from },
            Tokens = new Dictionary<string, string>
            {
                ["@PCAP1@"] = first.Path,
                ["@PAUSE1@"] = Ms(pause1Seconds),
                ["@PCAP2@"] = second.Path,
                ["@PAUSE2@"] = Ms(pause2Seconds),
            },
            Timeout = TimeSpan.FromSeconds(pause1Seconds + pause2Seconds + 30),
            RecvTimeout = TimeSpan.FromSeconds(pause1Seconds + pause2Seconds + 20),
        };

    private static string Ms(double seconds) => ((int)(seconds * 1000)).ToString(CultureInfo.InvariantCulture);
}
