using System.Security.Claims;
using System.Text.Json;
using Telephony.Host.Ivr;
using Telephony.Host.Security;
using Telephony.Ivr.CommandLine;
using Telephony.Ivr.Engine;
using Telephony.Ivr.Loading;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Queues.Configuration;
using Telephony.Recording.Storage;

namespace Telephony.Host.Api;

/// <summary>
/// The admin console's configuration editor for <c>config/ivr.yaml</c> and <c>config/queues.yaml</c> (admin only):
/// <c>GET /api/admin/{ivr|queues}</c> (the file), <c>POST /api/admin/{ivr|queues}/validate</c> (the same loader and
/// validator as <c>ivr validate</c> and the queues hot reload; errors as file:line:column), <c>POST /api/admin/{ivr|queues}</c>
/// (save: validated, kept as a new version with who and when, written so the hot reload deploys it; calls in progress keep
/// the version they started with), <c>GET .../versions</c>, <c>GET .../versions/{n}</c>, <c>POST .../versions/{n}/rollback</c>;
/// for the IVR also <c>POST /api/admin/ivr/simulate</c> (the <c>ivr simulate</c> transcript), <c>POST /api/admin/ivr/graph</c>
/// (Mermaid text of each flow, as <c>ivr graph</c>) and <c>GET /api/admin/ivr/schema</c> (config/ivr.schema.json, for the
/// editor's completion). Saves and rollbacks are audited (<c>config.saved</c>, <c>config.rolled_back</c>).
/// </summary>
public static partial class AdminConfigApi
{
    /// <summary>Largest file accepted, in characters.</summary>
    public const int MaxContentLength = 1_000_000;

    /// <summary>A posted file: its text and, on save, a note kept with the version.</summary>
    public sealed record ContentRequest(string? Content, string? Comment = null);

    /// <summary>What <c>ivr simulate</c> takes: the tree (default: the file on disk), the dialed number, the caller, the digits
    /// ("2,1234#": one group per menu or collect), the time, the queue and transfer outcomes and a node to hang up at.</summary>
    public sealed record SimulateRequest(string? Content, string? Number, string? Caller, string? Digits, string? At,
        string? Queue = null, string? Transfer = null, string? HangupAt = null);

    /// <summary>One problem at a 1-based line and column of the posted text.</summary>
    public sealed record ConfigProblem(string File, int Line, int Column, string Message);

    /// <summary>The admin configuration endpoints for the files of <paramref name="configDirectory"/>.</summary>
    public static void MapAdminConfigApi(this WebApplication app, string configDirectory)
    {
        ArgumentNullException.ThrowIfNull(app);
        var admin = app.MapGroup("/api/admin").RequireAuthorization(ConsoleRoles.AdminPolicy).WithTags("Admin: configuration");
        const string kind = "{kind:regex(^(ivr|queues)$)}";

        admin.MapGet("/" + kind, async (string kind, Database db, CancellationToken ct) =>
        {
            var file = ConfigFile.Of(kind, configDirectory);
            string content = file.Read();
            var latest = await RecordDiskVersionAsync(file, content, db, ct);
            return Results.Json(new { file = file.Name, path = file.Path, content, sha256 = ConfigVersionStore.Hash(content), version = latest.Version });
        }).WithSummary("The file as it is on disk, and its latest kept version");

        admin.MapPost("/" + kind + "/validate", (string kind, ContentRequest body, PbxOptions options) =>
        {
            var errors = Validate(kind, body.Content ?? "", options, out var summary);
            return Results.Json(new { valid = errors.Count == 0, errors, flows = summary });
        }).WithSummary("Validate posted text with the loader and validator the server uses (errors as file:line:column)");

        admin.MapPost("/" + kind, SaveAsync(configDirectory)).WithSummary(
            "Save: validate, keep as a new version (who, when), write the file; the hot reload deploys it");

        admin.MapGet("/" + kind + "/versions", async (string kind, Database db, CancellationToken ct) =>
        {
            var file = ConfigFile.Of(kind, configDirectory);
            await RecordDiskVersionAsync(file, file.Read(), db, ct);
            return Results.Json((await new ConfigVersionStore(db).ListAsync(kind, ct)).Select(VersionJson));
        }).WithSummary("Every kept version, newest first");

        admin.MapGet("/" + kind + "/versions/{version:int}", async (string kind, int version, Database db, CancellationToken ct) =>
            await new ConfigVersionStore(db).GetAsync(kind, version, ct) is { } v
                ? Results.Json(new { version = v.Version, savedAt = v.SavedAt, savedBy = v.SavedBy, comment = v.Comment, sha256 = v.Sha256, content = v.Content })
                : Results.Json(new { error = $"{kind} has no version {version}" }, statusCode: 404))
            .WithSummary("One kept version with its content");

        admin.MapPost("/" + kind + "/versions/{version:int}/rollback", RollbackAsync(configDirectory))
            .WithSummary("Save a kept version again as the newest one (validated first)");

        admin.MapPost("/ivr/simulate", (SimulateRequest body, PbxOptions options) => Simulate(body, configDirectory, options))
            .WithSummary("Run 'ivr simulate' on the posted tree (or the file on disk): the transcript of nodes and actions");

        admin.MapPost("/ivr/graph", (ContentRequest body) =>
        {
            var result = YamlFlowLoader.LoadText(body.Content ?? "", "ivr.yaml");
            return result.Succeeded
                ? Results.Json(new { flows = result.Flows!.Flows.Select(f => new { name = f.Name, numbers = f.Numbers, mermaid = IvrFlowGraph.ToMermaid(f) }) })
                : Results.Json(new { errors = result.Errors.Select(Problem) }, statusCode: StatusCodes.Status422UnprocessableEntity);
        }).WithSummary("Mermaid flowchart text of every flow, as 'ivr graph'");

        admin.MapGet("/ivr/schema", () =>
        {
            string schema = Path.Combine(configDirectory, "ivr.schema.json");
            return File.Exists(schema) ? Results.File(schema, "application/json") : Results.NotFound();
        }).WithSummary("config/ivr.schema.json: the JSON Schema of ivr.yaml (editor completion)");
    }

    /// <summary>Problems of <paramref name="content"/> as <paramref name="kind"/>, judged as the server's reload judges them.</summary>
    public static IReadOnlyList<ConfigProblem> Validate(string kind, string content, PbxOptions options, out object? summary)
    {
        ArgumentNullException.ThrowIfNull(options);
        summary = null;
        if (content.Length > MaxContentLength)
        {
            return [new ConfigProblem(kind + ".yaml", 1, 1, $"the file is larger than {MaxContentLength} characters")];
        }
        if (kind == "ivr")
        {
            var result = YamlFlowLoader.LoadText(content, "ivr.yaml", options.SoundsDirectory,
                outboundTrunks: [.. options.Trunks.Where(t => t.Outbound is not null).Select(t => t.Name)]);
            if (result.Succeeded)
            {
                summary = result.Flows!.Flows.Select(f => new { name = f.Name, numbers = f.Numbers, nodes = f.Nodes.Count }).ToList();
            }
            return [.. result.Errors.Select(Problem)];
        }
        var (config, errors) = QueuesConfigLoader.TryParse(content, "queues.yaml");
        if (config is not null)
        {
            summary = config.Queues.Select(q => new { name = q.Name, members = q.Members.Count }).ToList();
        }
        return [.. errors.Select(e => new ConfigProblem(e.File, Math.Max(e.Line, 1), Math.Max(e.Column, 1), e.Message))];
    }

    private static ConfigProblem Problem(FlowError e) => new(e.File, Math.Max(e.Line, 1), Math.Max(e.Column, 1), e.Message);

    private static object VersionJson(ConfigVersion v) =>
        new { version = v.Version, savedAt = v.SavedAt, savedBy = v.SavedBy, comment = v.Comment, sha256 = v.Sha256 };

    private static IResult Simulate(SimulateRequest body, string configDirectory, PbxOptions options)
    {
        if (string.IsNullOrWhiteSpace(body.Number))
        {
            return Results.Json(new { error = "number is required (the dialed number)" }, statusCode: 400);
        }
        string dir = Path.Combine(Path.GetTempPath(), "telephony-simulate-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string path = Path.Combine(dir, "ivr.yaml");
            File.WriteAllText(path, body.Content ?? ConfigFile.Of("ivr", configDirectory).Read());
            var args = new List<string> { "simulate", path, "--number", body.Number, "--sounds", options.SoundsDirectory };
            void Option(string name, string? value)
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    args.Add("--" + name);
                    args.Add(value.Trim());
                }
            }
            Option("caller", body.Caller);
            Option("digits", body.Digits);
            Option("at", body.At);
            Option("queue", body.Queue);
            Option("transfer", body.Transfer);
            Option("hangup-at", body.HangupAt);
            using var stdout = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            using var stderr = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            int exit = IvrCommandLine.Run([.. args], stdout, stderr);
            return Results.Json(new
            {
                exitCode = exit,
                transcript = stdout.ToString().Replace(path, "ivr.yaml", StringComparison.Ordinal),
                errors = stderr.ToString().Replace(path, "ivr.yaml", StringComparison.Ordinal),
            });
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<ConfigVersion> RecordDiskVersionAsync(ConfigFile file, string content, Database db, CancellationToken ct)
    {
        var store = new ConfigVersionStore(db);
        var latest = await store.LatestAsync(file.Kind, ct);
        if (latest is not null && latest.Sha256 == ConfigVersionStore.Hash(content))
        {
            return latest;
        }
        // First look at the file, or it was edited by hand since the last save: keep what is on disk as a version too.
        return await store.AddAsync(file.Kind, content, "disk", latest is null ? "found on disk" : "changed on disk", DateTimeOffset.UtcNow, ct);
    }

    private static string Detail(object value) => JsonSerializer.Serialize(value);

    private static ConsoleIdentity Who(ClaimsPrincipal user) => ConsoleIdentity.From(user)!;
}
