using Microsoft.AspNetCore.DataProtection;
using System.Globalization;
using Serilog;
using Serilog.Events;
using Telephony.Host;
using Telephony.Host.Api;
using Telephony.Host.Callbacks;
using Telephony.Host.Cli;
using Telephony.Host.Configuration;
using Telephony.Host.Recording;
using Telephony.Host.Security;
using Telephony.Host.Statistics;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Server;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Registrar;

// serve (the default), config check, cluster status, ivr validate|simulate|graph, hash-password, --help, --version.
var commandLine = HostCommandLine.Run(args, HostConsole.System);
if (commandLine.ExitCode is { } exitCode)
{
    return exitCode;
}
args = [.. commandLine.ServerArguments]; // configuration overrides and --config/--data/--sounds as --section:key=value

IConfiguration configuration;
string configDir;
Telephony.Pbx.Calls.Configuration.PbxOptions pbxOptions;
HostSettings settings;
RecordingSettings recordingSettings;
SecuritySettings securitySettings;
AccountDirectory accounts;
StatisticsSettings statisticsSettings;
Telephony.Host.Callbacks.CallbackSettings callbackSettings;
Telephony.Host.Voicemail.VoicemailSettings voicemailSettings;
string? clusterDatabase;
int clusterMaxConnections;
try
{
    (configuration, configDir) = TelephonyConfiguration.Load(args);
    pbxOptions = TelephonyConfiguration.BindPbx(configuration);
    settings = new HostSettings
    {
        HttpAddress = configuration["http:address"] ?? "0.0.0.0",
        HttpPort = int.Parse(configuration["http:port"] ?? "8080", CultureInfo.InvariantCulture),
        // Relative data paths are relative to the folder that holds config/ (the repository or installation root),
        // not to the working directory: `dotnet run --project src/Host` runs in src/Host.
        DataDirectory = Path.GetFullPath(configuration["data:directory"] ?? "data",
            Directory.GetParent(configDir)?.FullName ?? Directory.GetCurrentDirectory()),
    };
    recordingSettings = RecordingSettings.Load(configuration, settings.DataDirectory);
    clusterDatabase = configuration["cluster:database"];
    clusterMaxConnections = Telephony.Host.Cluster.ClusterDatabase.MaxConnectionsFrom(configuration);
    statisticsSettings = StatisticsSettings.Load(configuration);
    callbackSettings = Telephony.Host.Callbacks.CallbackSettings.Load(configuration);
    voicemailSettings = Telephony.Host.Voicemail.VoicemailSettings.Load(configuration, settings.DataDirectory);
    securitySettings = SecuritySettings.Load(configuration, Directory.GetParent(configDir)?.FullName ?? Directory.GetCurrentDirectory());
    accounts = AccountDirectory.Load(configuration, out var accountProblems);
    // file:line:column: field problem, as `config check` prints it; an invalid IVR tree or queues.yaml is refused too.
    var problems = pbxOptions.Validate().Concat(accountProblems).Select(p => ConfigKeyLocator.DescribeForServer(args, p))
        .Concat(ConfigCheck.ApplicationFileProblems(configDir, pbxOptions)).ToList();
    if (problems.Count > 0)
    {
        Console.Error.WriteLine($"Configuration in {configDir} is invalid:");
        foreach (var p in problems)
        {
            Console.Error.WriteLine("  " + p);
        }
        return ExitCodes.Invalid;
    }
}
catch (Exception ex) when (ex is ConfigurationFileException or InvalidOperationException or FormatException)
{
    Console.Error.WriteLine("Configuration error: " + (ex is ConfigurationFileException ? ex.Message : ConfigKeyLocator.DescribeForServer(args, ex.Message)));
    return ExitCodes.Invalid;
}

Directory.CreateDirectory(settings.DataDirectory);
Log.Logger = new LoggerConfiguration()
    .MinimumLevel.Information()
    .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
    .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
    .MinimumLevel.Override("Microsoft.AspNetCore.DataProtection", LogEventLevel.Error) // "keys not encrypted at rest": they sit in data/keys
    .Enrich.FromLogContext()
    // Sinks run on a background thread: a call's log lines never wait for the console or the disk.
    .WriteTo.Async(sinks =>
    {
        sinks.Console(outputTemplate: "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {Message:lj}{NewLine}{Exception}",
            formatProvider: CultureInfo.InvariantCulture);
        sinks.File(Path.Combine(settings.DataDirectory, "logs", "telephony-.log"), rollingInterval: RollingInterval.Day,
            outputTemplate: "{Timestamp:yyyy-MM-dd HH:mm:ss.fff} [{Level:u3}] {CallId} {SourceContext}: {Message:lj}{NewLine}{Exception}",
            formatProvider: CultureInfo.InvariantCulture);
    })
    .CreateLogger();

ServerCertificate? certificate = null;
if (securitySettings.HttpsPort > 0 || pbxOptions.Sip.TlsPort > 0)
{
    try
    {
        // One certificate for HTTPS and SIP over TLS (see docs/security.md).
        certificate = ServerCertificate.LoadOrCreate(securitySettings.CertificateFile, securitySettings.KeyFile, settings.DataDirectory,
            [settings.HttpAddress, pbxOptions.Sip.AdvertisedAddress ?? ""]);
        Log.Information("TLS certificate {File} ({Kind}), SHA-256 fingerprint {Fingerprint}, valid until {NotAfter:yyyy-MM-dd}",
            certificate.CertificateFile, certificate.SelfSigned ? "self-signed" : "configured", certificate.Sha256Fingerprint,
            certificate.Certificate.NotAfter);
    }
    catch (InvalidOperationException ex)
    {
        Log.Fatal("Telephony cannot start: {Reason}", ex.Message);
        await Log.CloseAndFlushAsync();
        return ExitCodes.Invalid;
    }
}

try
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = Directory.GetCurrentDirectory() });
    builder.Configuration.AddConfiguration(configuration);
    builder.Host.UseSerilog();
    builder.WebHost.ConfigureKestrel(kestrel =>
    {
        var address = System.Net.IPAddress.Parse(settings.HttpAddress);
        if (securitySettings.Plain != PlainHttpMode.Off)
        {
            kestrel.Listen(address, settings.HttpPort);
        }
        if (certificate is not null && securitySettings.HttpsPort > 0)
        {
            kestrel.Listen(address, securitySettings.HttpsPort, listen => listen.UseHttps(certificate.Certificate, https =>
                https.SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13));
        }
    });
    builder.Services.AddSingleton(pbxOptions);
    builder.Services.AddSingleton(new PromptLibrary(pbxOptions.SoundsDirectory));
    builder.Services.AddSingleton(sp => new LocationTable(TimeProvider.System,
        sp.GetRequiredService<ILoggerFactory>().CreateLogger<LocationTable>()));
    var ivrClock = configuration["ivr:clock"] is { Length: > 0 } clock
        ? new Telephony.Host.Ivr.ShiftedTimeProvider(DateTimeOffset.Parse(clock, CultureInfo.InvariantCulture))
        : TimeProvider.System;
    builder.Services.AddSingleton(sp => new Telephony.Host.Ivr.CallCenter(pbxOptions, sp.GetRequiredService<PromptLibrary>(),
        sp.GetRequiredService<LocationTable>(), configDir, ivrClock, sp.GetRequiredService<ILoggerFactory>(),
        agentStates: string.IsNullOrWhiteSpace(configuration["cluster:database"]) ? sp.GetRequiredService<CallRecorder>()
            : sp.GetRequiredService<Telephony.Host.Cluster.ClusterAgentObserver>(), // history, cluster_agents and the bus
        callbacks: sp.GetRequiredService<Telephony.Host.Callbacks.CallbackLedger>(),
        promises: new Telephony.Host.Ivr.CallCenterPromises(sp.GetRequiredService<Telephony.Host.Voicemail.VoicemailRecorder>(),
            sp.GetRequiredService<CallRecorder>(), sp.GetRequiredService<Telephony.Host.Dispositions.DispositionService>()),
        dispatchGate: sp.GetService<Telephony.Host.Cluster.ClusterDispatchGate>(),
        agentCommands: string.IsNullOrWhiteSpace(configuration["cluster:database"]) ? null // login/pause cluster-wide
            : new Telephony.Host.Cluster.BusAgentCommands(sp.GetRequiredService<Telephony.Host.Cluster.BusNode>())));
    builder.Services.AddTelephonyCallbacks(callbackSettings);
    builder.Services.AddHostedService(sp => sp.GetRequiredService<Telephony.Host.Ivr.CallCenter>()); // before the PBX starts
    if (clusterDatabase is { Length: > 0 }) // cluster.database: one pool per node, for every use of it (ClusterDatabase)
    {
        builder.Services.AddSingleton(new Telephony.Host.Cluster.ClusterDatabase(clusterDatabase, clusterMaxConnections,
            recordingSettings.Provider, recordingSettings.ConnectionString));
    }
    builder.Services.AddTelephonyRecording(recordingSettings, // before the PBX: migrated before calls, closed after them
        string.IsNullOrWhiteSpace(configuration["cluster:database"]) ? null : pbxOptions.Cluster.EffectiveNodeId,
        sp => sp.GetService<Telephony.Host.Cluster.ClusterDatabase>()?.PoolFor(recordingSettings.ConnectionString));
    Telephony.Host.Voicemail.PromisesHostExtensions.AddTelephonyPromises(builder.Services, voicemailSettings);
    builder.Services.AddConsoleSecurity(securitySettings);
    // ASP.NET Core's data protection (pulled in by authentication) keeps its keys with our data, not in the home folder.
    builder.Services.AddDataProtection().PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(settings.DataDirectory, "keys")));
    builder.Services.AddSingleton(accounts);
    builder.Services.AddSingleton(TimeProvider.System);
    builder.Services.AddSingleton<IAuditTrail, AuditTrail>();
    builder.Services.AddSingleton(sp => new LoginThrottle(securitySettings.Throttle, TimeProvider.System));
    builder.Services.AddSingleton(sp => new ConsoleSessions(new Telephony.Recording.Storage.SessionStore(
        sp.GetRequiredService<Telephony.Recording.Storage.Database>()), TimeProvider.System, securitySettings.SessionLifetime));
    builder.Services.AddHostedService(sp => sp.GetRequiredService<ConsoleSessions>()); // after the migration
    builder.Services.AddSingleton(sp => new ConsoleLogin(accounts, sp.GetRequiredService<ConsoleSessions>(),
        sp.GetRequiredService<LoginThrottle>(), sp.GetRequiredService<IAuditTrail>()));
    builder.Services.AddHostedService(sp => new ConfigurationChangeAudit(configDir, sp.GetRequiredService<IAuditTrail>()));
    if (certificate is not null)
    {
        builder.Services.AddSingleton(certificate);
    }
    builder.Services.AddSingleton(sp => new Telephony.Pbx.Sip.Transport.WebSocketSipTransport(
        BrowserPhoneApi.LocalEndPoints(settings.HttpAddress, settings.HttpPort, securitySettings.HttpsPort),
        sp.GetRequiredService<ILoggerFactory>().CreateLogger<Telephony.Pbx.Sip.Transport.WebSocketSipTransport>()));
    builder.Services.AddSingleton(sp =>
    {
        var callCenter = sp.GetRequiredService<Telephony.Host.Ivr.CallCenter>();
        var server = new PbxServer(pbxOptions, new PbxPorts
        {
            Observer = (ICallObserver?)sp.GetService<Telephony.Host.Cluster.ClusterCallTracker>() ?? sp.GetRequiredService<CallRecorder>(),
            Applications = callCenter,
            Transfers = callCenter,
            Prompts = sp.GetRequiredService<PromptLibrary>(),
            Locations = sp.GetRequiredService<LocationTable>(),
            WebSockets = sp.GetRequiredService<Telephony.Pbx.Sip.Transport.WebSocketSipTransport>(),
            TlsCertificate = pbxOptions.Sip.TlsPort > 0 ? certificate?.Certificate : null,
        }, sp.GetRequiredService<ILoggerFactory>());
        SipBansApi.AuditBans(server.SipBans, sp.GetRequiredService<IAuditTrail>());
        return server;
    });
    builder.Services.AddHostedService<PbxHostedService>();
    builder.Services.AddSingleton(sp => new Telephony.Host.Cluster.QueueLeaseService(pbxOptions, sp.GetService<Telephony.Host.Cluster.ClusterDatabase>(),
        sp.GetRequiredService<Telephony.Host.Ivr.CallCenter>(), sp.GetRequiredService<ILogger<Telephony.Host.Cluster.QueueLeaseService>>()));
    builder.Services.AddHostedService(sp => sp.GetRequiredService<Telephony.Host.Cluster.QueueLeaseService>()); // cluster.database: queue leases
    // cluster.database: the cluster bus (other nodes' live calls and events, cross-node supervision); inert without it.
    // Nodes on PostgreSQL storage share one event log, so remote events go into the event stream only with SQLite storage.
    builder.Services.AddSingleton(sp => new Telephony.Host.Cluster.BusLiveView(
        sp.GetRequiredService<Telephony.Recording.Storage.Database>().Provider != Telephony.Recording.Storage.StorageProvider.Postgres,
        TimeProvider.System));
    builder.Services.AddSingleton(sp => new Telephony.Host.Cluster.BusNode(pbxOptions, configuration["cluster:database"],
        sp.GetRequiredService<Telephony.Host.Cluster.BusLiveView>(), sp.GetRequiredService<EventNotifier>(), sp, TimeProvider.System,
        sp.GetRequiredService<ILogger<Telephony.Host.Cluster.BusNode>>(), sp.GetService<Telephony.Host.Cluster.ClusterDatabase>()));
    builder.Services.AddHostedService(sp => sp.GetRequiredService<Telephony.Host.Cluster.BusNode>());
    if (!string.IsNullOrWhiteSpace(configuration["cluster:database"])) // cluster.database: calls by node, dead nodes' callers recovered
    {
        builder.Services.AddSingleton(new Telephony.Host.Cluster.ClusterDispatchGate()); // the scheduler rings what queue owners assign
        builder.Services.AddSingleton(sp => new Telephony.Host.Cluster.ClusterCallTracker(sp.GetRequiredService<CallRecorder>(), pbxOptions.Cluster.EffectiveNodeId,
            sp.GetRequiredService<Telephony.Host.Cluster.BusNode>(), sp.GetRequiredService<Telephony.Host.Cluster.ClusterDispatchGate>()));
        builder.Services.AddSingleton(sp => new Telephony.Host.Cluster.ClusterAgentObserver(sp.GetRequiredService<CallRecorder>(),
            sp.GetRequiredService<Telephony.Host.Cluster.ClusterCallTracker>(), sp.GetRequiredService<Telephony.Host.Cluster.BusNode>()));
        builder.Services.AddHostedService(sp => new Telephony.Host.Cluster.ClusterDispatchService(pbxOptions, sp.GetService<Telephony.Host.Cluster.ClusterDatabase>(),
            sp.GetRequiredService<Telephony.Host.Cluster.ClusterDispatchGate>(), sp.GetRequiredService<Telephony.Host.Ivr.CallCenter>(),
            sp.GetRequiredService<Telephony.Host.Cluster.QueueLeaseService>(), sp.GetRequiredService<ILogger<Telephony.Host.Cluster.ClusterDispatchService>>()));
        builder.Services.AddHostedService(sp => new Telephony.Host.Cluster.ClusterNodeService(pbxOptions, sp.GetService<Telephony.Host.Cluster.ClusterDatabase>(),
            sp.GetRequiredService<Telephony.Host.Cluster.ClusterCallTracker>(), sp.GetRequiredService<Telephony.Host.Ivr.CallCenter>(),
            sp.GetRequiredService<Telephony.Recording.Storage.Database>(), sp.GetRequiredService<CallRecorder>(),
            sp.GetRequiredService<Telephony.Host.Callbacks.CallbackRecovery>(), TimeProvider.System,
            sp.GetRequiredService<ILogger<Telephony.Host.Cluster.ClusterNodeService>>()));
        // cluster.locationTable: loginOnRegister from Kamailio's registrations (usrloc in the cluster database).
        builder.Services.AddHostedService(sp => new Telephony.Host.Cluster.KamailioRegistrations(sp.GetService<Telephony.Host.Cluster.ClusterDatabase>(),
            configuration["cluster:locationTable"], sp.GetRequiredService<Telephony.Host.Ivr.CallCenter>(), TimeProvider.System,
            sp.GetRequiredService<ILogger<Telephony.Host.Cluster.KamailioRegistrations>>()));
    }
    builder.Services.AddSingleton<Telephony.Host.Callbacks.CallbackRecovery>();
    builder.Services.AddHostedService(sp => sp.GetRequiredService<Telephony.Host.Callbacks.CallbackRecovery>()); // pending callbacks back in line, after the PBX
    builder.Services.AddApiDocs();
    builder.Services.AddTelephonyStatistics(statisticsSettings);
    builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));

    var app = builder.Build();
    app.UseConsoleSecurity(securitySettings, hsts: certificate is { SelfSigned: false });
    var started = DateTimeOffset.UtcNow;
    app.MapGet("/health", (PbxServer server, CallRecorder recorder) => Results.Json(new
    {
        status = "ok",
        uptimeSeconds = (long)(DateTimeOffset.UtcNow - started).TotalSeconds,
        activeCalls = server.Calls.ActiveCalls,
        totalCalls = server.Calls.TotalCalls,
        refusedOverCapacity = server.Calls.RefusedOverCapacity,
        media = server.Media.Stats,
        recording = recorder.Stats,
        sipSecurity = SipBansApi.Health(server.SipBans),
        sipTls = SipTlsHealth.Of(server),
        cluster = ClusterApi.Health(server, pbxOptions),
    })).AllowAnonymous();
    app.MapAuthApi();
    app.MapTelephonyApi();
    app.MapGet("/api/calls/active", (PbxServer server, System.Security.Claims.ClaimsPrincipal user) =>
    {
        var who = ConsoleIdentity.From(user)!;
        var agentCall = who.SeesAll ? null : server.Calls.FindCallOfAgent(who.User);
        // Agents see the calls they are in: as caller, as the dialed extension, or as the bridged agent.
        return Results.Json(server.Calls.Calls
            .Where(c => who.SeesAll || c == agentCall || c.CallerNumber == who.User || c.DialedNumber == who.User)
            .Select(c => new
            {
                id = c.Id,
                kind = c.Kind,
                startedAt = c.StartedAt,
            }));
    });
    app.MapAuditApi();
    app.MapSipBansApi();
    app.MapClusterApi();
    app.MapConfigApi(configuration);

    Telephony.Host.Api.QueueApi.MapQueueApi(app);
    app.MapSupervisionApi();
    Telephony.Host.Callbacks.CallbackApi.MapCallbackApi(app);
    app.MapConsoleApi();
    app.MapAdminConfigApi(configDir);
    app.MapBrowserPhone(securitySettings);
    app.MapApiDocs();
    app.MapWebConsole();
    app.MapInteropPages();
    app.MapTelephonyStatistics();
    app.MapVoicemailApi();
    app.MapDispositionsApi();

    Log.Information("Telephony starting: config {ConfigDir}, sounds {Sounds}, data {Data}, HTTP port {Port} ({Plain}), HTTPS port {HttpsPort}",
        configDir, pbxOptions.SoundsDirectory, settings.DataDirectory, settings.HttpPort,
        securitySettings.Plain.ToString().ToLowerInvariant(), securitySettings.HttpsPort);
    if (securitySettings.Plain == PlainHttpMode.On && !System.Net.IPAddress.IsLoopback(System.Net.IPAddress.Parse(settings.HttpAddress)))
    {
        Log.Warning("Plain HTTP on {Address}:{Port} is reachable from other machines: logins would cross the network in clear. " +
            "Use HTTPS (port {HttpsPort}) and set http.plain to redirect or off", settings.HttpAddress, settings.HttpPort, securitySettings.HttpsPort);
    }
    await app.RunAsync();
    return 0;
}
catch (PbxStartupException ex)
{
    Log.Fatal("Telephony cannot start: {Reason}", ex.Message);
    return ExitCodes.Invalid;
}
catch (Exception ex)
{
    Log.Fatal(ex, "Telephony failed");
    return ExitCodes.Failure;
}
finally
{
    await Log.CloseAndFlushAsync();
}
