using Telephony.Recording.Alerts;
using Telephony.Recording.Storage;
using StorageDatabase = Telephony.Recording.Storage.Database;
using Telephony.Recording.Writing;

namespace Telephony.Host.Recording;

/// <summary>
/// Settings of recording, storage and alerts (sections <c>recording</c>, <c>storage</c>, <c>alerts</c> and
/// <c>webhooks</c> of <c>config/telephony.yaml</c>). Relative paths are resolved against <c>data.directory</c>.
/// </summary>
public sealed class RecordingSettings
{
    /// <summary>Record every answered call (stereo WAV, caller left, our side right).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Sample encoding: <c>pcm16</c>, <c>ulaw</c> or <c>alaw</c>.</summary>
    public string Format { get; set; } = "pcm16";

    /// <summary>Folder of the recordings (files under <c>yyyy/MM/dd/&lt;call id&gt;.wav</c>).</summary>
    public string Directory { get; set; } = "recordings";

    /// <summary>Recordings older than this are deleted by the daily sweep; 0 keeps them forever.</summary>
    public int RetentionDays { get; set; } = 90;

    /// <summary>SQLite database file (event log, call records, recordings index, alerts, outbox).</summary>
    public string Database { get; set; } = "telephony.db";

    /// <summary>The engine (<c>storage.provider</c>): <see cref="StorageProvider.Sqlite"/> (default) or
    /// <see cref="StorageProvider.Postgres"/>.</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>Npgsql connection string (<c>storage.connectionString</c>), used with <see cref="StorageProvider.Postgres"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>First webhook retry delay [s] (doubles per attempt).</summary>
    public double RetryInitialSeconds { get; set; } = 5;

    /// <summary>Longest webhook retry delay [s].</summary>
    public double RetryMaxSeconds { get; set; } = 3600;

    /// <summary>Webhooks that receive alerts.</summary>
    public List<WebhookSettings> Webhooks { get; set; } = [];

    /// <summary>The parsed <see cref="Format"/>.</summary>
    public RecordingFormat ParsedFormat => Format.Trim().ToLowerInvariant() switch
    {
        "pcm16" or "pcm" => RecordingFormat.Pcm16,
        "ulaw" or "mulaw" or "pcmu" => RecordingFormat.MuLaw,
        "alaw" or "pcma" => RecordingFormat.ALaw,
        _ => throw new FormatException($"recording.format: '{Format}' is not one of pcm16, ulaw, alaw"),
    };

    /// <summary>Binds the sections and resolves paths against <paramref name="dataDirectory"/>; throws
    /// <see cref="FormatException"/> naming the key on invalid values.</summary>
    public static RecordingSettings Load(IConfiguration configuration, string dataDirectory)
    {
        var settings = new RecordingSettings();
        configuration.GetSection("recording").Bind(settings);
        settings.Database = configuration["storage:database"] ?? settings.Database;
        settings.Provider = ParseProvider(configuration["storage:provider"]);
        settings.ConnectionString = configuration["storage:connectionString"];
        if (settings.Provider == StorageProvider.Postgres)
        {
            if (string.IsNullOrWhiteSpace(settings.ConnectionString))
            {
                throw new FormatException(
                    "storage.connectionString is required with storage.provider postgres (Host=...;Database=...;Username=...;Password=...)");
            }
            _ = StorageDatabase.ForPostgres(settings.ConnectionString); // throws a FormatException naming the key
        }
        configuration.GetSection("alerts").Bind(settings);
        configuration.GetSection("webhooks").Bind(settings.Webhooks);
        settings.Directory = Path.GetFullPath(settings.Directory, dataDirectory);
        settings.Database = Path.GetFullPath(settings.Database, dataDirectory);
        _ = settings.ParsedFormat;
        if (settings.RetentionDays < 0)
        {
            throw new FormatException("recording.retentionDays must be 0 or more");
        }
        if (settings.RetryInitialSeconds <= 0 || settings.RetryMaxSeconds < settings.RetryInitialSeconds)
        {
            throw new FormatException("alerts.retryInitialSeconds must be > 0 and <= alerts.retryMaxSeconds");
        }
        foreach (var w in settings.Webhooks)
        {
            if (string.IsNullOrWhiteSpace(w.Name) || !Uri.TryCreate(w.Url, UriKind.Absolute, out _) || string.IsNullOrEmpty(w.Secret))
            {
                throw new FormatException($"webhooks: entry '{w.Name}' needs a name, an absolute url and a secret");
            }
        }
        return settings;
    }

    /// <summary>The configured database (nothing is opened yet); PostgreSQL connections come from
    /// <paramref name="pool"/> when given (a cluster node's pool to the same database).</summary>
    public StorageDatabase CreateDatabase(Npgsql.NpgsqlDataSource? pool = null) => Provider == StorageProvider.Postgres
        ? StorageDatabase.ForPostgres(ConnectionString!, pool)
        : new StorageDatabase(Database);

    /// <summary>Where the data lives, for logs and <c>config check</c> (never a password).</summary>
    public string DescribeStorage() => Provider == StorageProvider.Postgres ? CreateDatabase().FilePath : Database;

    private static StorageProvider ParseProvider(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "sqlite" => StorageProvider.Sqlite,
        "postgres" or "postgresql" => StorageProvider.Postgres,
        _ => throw new FormatException($"storage.provider '{value}' is not one of sqlite, postgres"),
    };

    /// <summary>The configured webhooks as endpoints for the dispatcher.</summary>
    public IReadOnlyList<WebhookEndpoint> Endpoints() =>
        Webhooks.Select(w => new WebhookEndpoint(w.Name, new Uri(w.Url), w.Secret)).ToList();
}
