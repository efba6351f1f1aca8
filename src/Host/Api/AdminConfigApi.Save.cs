using System.Security.Claims;
using Telephony.Host.Ivr;
using Telephony.Host.Security;
using Telephony.Ivr.Loading;
using Telephony.Pbx.Calls.Configuration;
using Telephony.Recording.Storage;

namespace Telephony.Host.Api;

// Saving and rolling back: validate, keep the version, write the file (temp file + rename, so a reader never sees half
// a file), wait for the IVR's hot reload to report, audit.
public static partial class AdminConfigApi
{
    private static readonly TimeSpan ReloadWait = TimeSpan.FromSeconds(3);

    private static Func<string, ContentRequest, HttpContext, ClaimsPrincipal, Database, PbxOptions, CallCenter, IAuditTrail, Task<IResult>>
        SaveAsync(string configDirectory) => (kind, body, context, user, db, options, center, audit) =>
            StoreAsync(ConfigFile.Of(kind, configDirectory), body.Content ?? "", body.Comment, "config.saved", context, user, db, options,
                center, audit);

    private static Func<string, int, HttpContext, ClaimsPrincipal, Database, PbxOptions, CallCenter, IAuditTrail, Task<IResult>>
        RollbackAsync(string configDirectory) => async (kind, version, context, user, db, options, center, audit) =>
        {
            if (await new ConfigVersionStore(db).GetAsync(kind, version, context.RequestAborted) is not { } old)
            {
                return Results.Json(new { error = $"{kind} has no version {version}" }, statusCode: 404);
            }
            return await StoreAsync(ConfigFile.Of(kind, configDirectory), old.Content, $"rollback to version {version}", "config.rolled_back",
                context, user, db, options, center, audit);
        };

    private static async Task<IResult> StoreAsync(ConfigFile file, string content, string? comment, string action, HttpContext context,
        ClaimsPrincipal user, Database db, PbxOptions options, CallCenter center, IAuditTrail audit)
    {
        var ct = context.RequestAborted;
        var who = Who(user);
        var errors = Validate(file.Kind, content, options, out _);
        if (errors.Count > 0)
        {
            await audit.RecordAsync(AuthApi.Entry(context, who, action, file.Name, AuditOutcomes.Failed,
                Detail(new { errors = errors.Count, first = errors[0].ToString() })), ct);
            return Results.Json(new { saved = false, errors }, statusCode: StatusCodes.Status422UnprocessableEntity);
        }

        await RecordDiskVersionAsync(file, file.Read(), db, ct);
        var version = await new ConfigVersionStore(db).AddAsync(file.Kind, content, who.User, comment, DateTimeOffset.UtcNow, ct);
        var reloaded = WaitForIvrReload(file, center);
        try
        {
            file.Write(content);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await audit.RecordAsync(AuthApi.Entry(context, who, action, file.Name, AuditOutcomes.Failed, Detail(new { error = e.Message })), ct);
            return Results.Json(new { saved = false, error = $"cannot write {file.Path}: {e.Message}" }, statusCode: 500);
        }
        await audit.RecordAsync(AuthApi.Entry(context, who, action, file.Name, AuditOutcomes.Ok,
            Detail(new { version = version.Version, sha256 = version.Sha256, comment })), ct);

        bool? deployed = null;
        if (reloaded is not null)
        {
            var finished = await Task.WhenAny(reloaded, Task.Delay(ReloadWait, ct));
            deployed = finished == reloaded && reloaded.Result.Succeeded;
        }
        return Results.Json(new
        {
            saved = true,
            version = version.Version,
            savedAt = version.SavedAt,
            savedBy = version.SavedBy,
            comment,
            sha256 = version.Sha256,
            deployed,
        });
    }

    /// <summary>Completes with the IVR repository's next reload result (null for other files or when the IVR is off).</summary>
    private static Task<FlowLoadResult>? WaitForIvrReload(ConfigFile file, CallCenter center)
    {
        if (file.Kind != "ivr" || center.Flows is not { } flows)
        {
            return null;
        }
        var done = new TaskCompletionSource<FlowLoadResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnReloaded(FlowLoadResult result)
        {
            flows.Reloaded -= OnReloaded;
            done.TrySetResult(result);
        }
        flows.Reloaded += OnReloaded;
        return done.Task;
    }
}
