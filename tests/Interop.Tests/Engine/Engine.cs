namespace Telephony.Interop.Tests.Engine;

/// <summary>
/// The server's sample-config contract the engine tests rely on (config/): extensions 1001-1004 and 2001
/// with passwords pass&lt;ext&gt;, domain 127.0.0.1, test numbers 9000 (echo), 9001 (prompt test, then BYE),
/// 9002 (bench: prompt then echo), an unauthenticated trunk from 127.0.0.2 that may call 9000-9002 and
/// the DID 08001234567 (→ the support-line IVR). Plus helpers to start the server and SIPp the same way in every test.
/// </summary>
internal static class Engine
{
    public const string Domain = "127.0.0.1";
    public const string TrunkAddress = "127.0.0.2";
    public const string EchoNumber = "9000";
    public const string PromptNumber = "9001";
    public const string BenchNumber = "9002";
    public const string Did = "08001234567";

    public static string Password(string extension) => "pass" + extension;

    /// <summary>Starts the server and waits until it answers SIP OPTIONS (probe from peer port 9).</summary>
    public static Task<ServerProcess> StartServerAsync(PortBlock ports, ITestOutputHelper output,
        IReadOnlyDictionary<string, string?>? extraEnv = null) =>
        ServerProcess.StartReadyAsync(ports, output, extraEnv);

    /// <summary>
    /// The sample configuration without <c>ivr.yaml</c>: no IVR tree claims the DID, so the trunk's DID mapping
    /// (08001234567 → 1001) delivers it straight to the extension through the B2BUA.
    /// </summary>
    public static Task<ServerProcess> StartServerWithoutIvrAsync(PortBlock ports, ITestOutputHelper output)
    {
        string dir = RepoPaths.NewTempDirectory("config-no-ivr");
        foreach (string file in Directory.GetFiles(RepoPaths.ConfigDirectory))
        {
            if (Path.GetFileName(file) != "ivr.yaml")
            {
                File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
            }
        }
        return StartServerAsync(ports, output, new Dictionary<string, string?> { ["TELEPHONY_PATHS__CONFIGDIRECTORY"] = dir });
    }

    /// <summary>A speech WAV of known content for calls (~3 s).</summary>
    public static string Speech(string dir, string name = "speech.wav", string text = "Testing the telephony engine. One, two, three, four, five.") =>
        TestAudio.Speech(text, Path.Combine(dir, name), exactSeconds: 3.0);

    /// <summary>A pcap: the speech WAV as PCMU, then RFC 4733 digits, then silence.</summary>
    public static PcapSummary Pcap(string dir, string speechWav, string digits = "12#") =>
        PcapBuilder.Write(Path.Combine(dir, "call.pcap"), new PcapStream { Audio = WavFile.Read(speechWav).Mono(), Digits = digits });

    /// <summary>SIPp options for a call from the trunk (127.0.0.2, no auth).</summary>
    public static SippOptions FromTrunk(ServerProcess server, string scenario, string number, int sipPort, int mediaPort, bool tcp = false) => new()
    {
        Scenario = scenario,
        Remote = server.SipHostPort,
        Service = number,
        LocalAddress = TrunkAddress,
        LocalPort = sipPort,
        MediaPort = mediaPort,
        Tcp = tcp,
        Variables = new Dictionary<string, string> { ["from"] = "+15550000001" },
        Timeout = TimeSpan.FromSeconds(30),
        RecvTimeout = TimeSpan.FromSeconds(15),
    };

    /// <summary>SIPp options for a call from an extension (digest with -au/-ap, 127.0.0.1).</summary>
    public static SippOptions FromExtension(
        ServerProcess server, string scenario, string number, string extension, int sipPort, int mediaPort, string? password = null) => new()
    {
        Scenario = scenario,
        Remote = server.SipHostPort,
        Service = number,
        LocalPort = sipPort,
        MediaPort = mediaPort,
        AuthUser = extension,
        AuthPassword = password ?? Password(extension),
        AuthUri = $"{number}@{server.SipHostPort}",
        Timeout = TimeSpan.FromSeconds(30),
        RecvTimeout = TimeSpan.FromSeconds(15),
    };

    /// <summary>Scenario tokens for uac-status.xml.</summary>
    public static Dictionary<string, string> Status(int code) => new() { ["@STATUS@"] = code.ToString(System.Globalization.CultureInfo.InvariantCulture) };
}
