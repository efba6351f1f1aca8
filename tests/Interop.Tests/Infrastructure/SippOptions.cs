namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>
/// One SIPp 3.6.1 run: scenario, addresses, ports, limits and <c>-set</c> variables. Every run is bounded
/// (<see cref="Timeout"/>, <see cref="RecvTimeout"/>, <see cref="HardTimeout"/>) and uses <c>-nostdin</c>.
/// </summary>
public sealed record SippOptions
{
    /// <summary>Scenario file (absolute, or a name under <see cref="RepoPaths.ScenariosDirectory"/>), or an embedded
    /// scenario name (<c>uac</c>, <c>uas</c>) when <see cref="BuiltIn"/> is true.</summary>
    public required string Scenario { get; init; }

    /// <summary>Use <c>-sn</c> (embedded scenario) instead of <c>-sf</c>.</summary>
    public bool BuiltIn { get; init; }

    /// <summary>Text substitutions applied to the scenario file before the run (e.g. <c>@PCAP@</c> → a path):
    /// SIPp loads pcaps when it parses the scenario, so such values cannot be <c>-set</c> variables.</summary>
    public IReadOnlyDictionary<string, string> Tokens { get; init; } = new Dictionary<string, string>();

    /// <summary>Remote host:port for a UAC (<c>127.0.0.1:15000</c>); null for a UAS.</summary>
    public string? Remote { get; init; }

    /// <summary><c>-i</c> and SIP source address.</summary>
    public string LocalAddress { get; init; } = "127.0.0.1";

    /// <summary><c>-p</c>.</summary>
    public required int LocalPort { get; init; }

    /// <summary><c>-mi</c>; defaults to <see cref="LocalAddress"/>.</summary>
    public string? MediaAddress { get; init; }

    /// <summary><c>-mp</c> (SIPp binds it and +2; scenarios advertise <c>[media_port+4]</c> for an <see cref="RtpSink"/>).</summary>
    public required int MediaPort { get; init; }

    /// <summary>UDP (<c>-t u1</c>) or TCP (<c>-t t1</c>).</summary>
    public bool Tcp { get; init; }

    /// <summary><c>-s</c>: Request-URI user part.</summary>
    public string? Service { get; init; }

    /// <summary><c>-m</c>: total calls.</summary>
    public int Calls { get; init; } = 1;

    /// <summary><c>-l</c>: concurrent calls.</summary>
    public int? Limit { get; init; }

    /// <summary><c>-r</c>: calls per second.</summary>
    public double? Rate { get; init; }

    /// <summary><c>-timeout</c> (with <c>-timeout_error</c>): SIPp gives up and fails.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>-recv_timeout</c>: a <c>&lt;recv&gt;</c> waits at most this long.</summary>
    public TimeSpan RecvTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Hard wall-clock limit; the process is killed after it. Default <see cref="Timeout"/> + 15 s.</summary>
    public TimeSpan? HardTimeout { get; init; }

    /// <summary><c>-d</c>: length of a bare <c>&lt;pause/&gt;</c>.</summary>
    public TimeSpan? DefaultPause { get; init; }

    /// <summary><c>-rtp_echo</c>.</summary>
    public bool RtpEcho { get; init; }

    /// <summary><c>-au</c> / <c>-ap</c>: credentials for <c>[authentication]</c>.</summary>
    public string? AuthUser { get; init; }

    /// <summary><c>-ap</c>.</summary>
    public string? AuthPassword { get; init; }

    /// <summary><c>-auth_uri</c>.</summary>
    public string? AuthUri { get; init; }

    /// <summary><c>-set name value</c> pairs (<c>[$name]</c> in the scenario).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    /// <summary>Anything else, appended last.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];
}
