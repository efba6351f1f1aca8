using System.Globalization;
using Serilog;
using Serilog.Events;
using Telephony.Host;
using Telephony.Host.Api;
using Telephony.Host.Configuration;
using Telephony.Host.Recording;
using Telephony.Host.Statistics;
using Telephony.Pbx.Calls;
using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Server;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Registrar;

if (args.Length > 0 && args[0] == "ivr")
{
    // Offline IVR tools: ivr validate <file> | ivr simulate <file> --number N --digits ... | ivr graph <file>
    return Telephony.Ivr.CommandLine.IvrCommandLine.Run(args[1..], Console.Out, Console.Error);
}

IConfiguration configuration;
string configDir;
Telephony.Pbx.Calls.Configuration.PbxOptions pbxOptions;
HostSettings settings;
RecordingSettings recordingSettings;
StatisticsSettings statisticsSettings;
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
    statisticsSettings = StatisticsSettings.Load(configuration);
    var problems = pbxOptions.Validate();
    if (problems.Count > 0)
    {
        Console.Error.WriteLine($"Configuration in {configDir} is invalid:");
        foreach (var p in problems)
        {
            Console.Error.WriteLine("  " + p);
        }
        return 2;
    }
}
catch (Exception ex) when (ex is ConfigurationFileException or InvalidOperationException or FormatException)
{
    Console.Error.WriteLine("Configuration error: " + ex.Message);
    return 2;
}

Directory.CreateDirectory(settings.DataDirectory);
Log.Logger = new LoggerConfiguration()
    .MinimumLevel.Information()
    .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
    .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
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

try
{
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = Directory.GetCurrentDirectory() });
    builder.Configuration.AddConfiguration(configuration);
    builder.Host.UseSerilog();
    builder.WebHost.UseUrls(string.Create(CultureInfo.InvariantCulture, $"http://{settings.HttpAddress}:{settings.HttpPort}"));
    builder.Services.AddSingleton(pbxOptions);
    builder.Services.AddSingleton(new PromptLibrary(pbxOptions.SoundsDirectory));
    builder.Services.AddSingleton(sp => new LocationTable(TimeProvider.System,
        sp.GetRequiredService<ILoggerFactory>().CreateLogger<LocationTable>()));
    var ivrClock = configuration["ivr:clock"] is { Length: > 0 } clock
        ? new Telephony.Host.Ivr.ShiftedTimeProvider(DateTimeOffset.Parse(clock, CultureInfo.InvariantCulture))
        : TimeProvider.System;
    builder.Services.AddSingleton(sp => new Telephony.Host.Ivr.CallCenter(pbxOptions, sp.GetRequiredService<PromptLibrary>(),
        sp.GetRequiredService<LocationTable>(), configDir, ivrClock, sp.GetRequiredService<ILoggerFactory>(),
        agentStates: sp.GetRequiredService<CallRecorder>()));
    builder.Services.AddHostedService(sp => sp.GetRequiredService<Telephony.Host.Ivr.CallCenter>()); // before the PBX starts
    builder.Services.AddTelephonyRecording(recordingSettings); // before the PBX: migrated before calls, closed after them
    builder.Services.AddSingleton(sp =>
    {
        var callCenter = sp.GetRequiredService<Telephony.Host.Ivr.CallCenter>();
        return new PbxServer(pbxOptions, new PbxPorts
        {
            Observer = sp.GetRequiredService<CallRecorder>(),
            Applications = callCenter,
            Transfers = callCenter,
            Prompts = sp.GetRequiredService<PromptLibrary>(),
            Locations = sp.GetRequiredService<LocationTable>(),
        }, sp.GetRequiredService<ILoggerFactory>());
    });
    builder.Services.AddHostedService<PbxHostedService>();
    builder.Services.AddTelephonyStatistics(statisticsSettings);
    builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));

    var app = builder.Build();
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
    }));
    app.MapTelephonyApi();
    app.MapGet("/api/calls/active", (PbxServer server) => Results.Json(server.Calls.Calls.Select(c => new
    {
        id = c.Id,
        kind = c.Kind,
        startedAt = c.StartedAt,
    })));

    Telephony.Host.Api.QueueApi.MapQueueApi(app);
    app.MapSupervisionApi();
    app.MapTelephonyStatistics();

    Log.Information("Telephony starting: config {ConfigDir}, sounds {Sounds}, data {Data}, HTTP port {Port}",
        configDir, pbxOptions.SoundsDirectory, settings.DataDirectory, settings.HttpPort);
    await app.RunAsync();
    return 0;
}
catch (PbxStartupException ex)
{
    Log.Fatal("Telephony cannot start: {Reason}", ex.Message);
    return 1;
}
catch (Exception ex)
{
    Log.Fatal(ex, "Telephony failed");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}
