using Telephony.Pbx.Calls;
using Telephony.Pbx.Media.Mixer;
using Telephony.Pbx.Server;

namespace Telephony.Host.Api;

/// <summary>
/// HTTP control of supervision: <c>GET /api/supervise</c> lists active supervisions; <c>POST /api/supervise/{id}/mode</c>
/// with <c>{"mode":"listen|whisper|barge|takeover"}</c> switches the mode of supervisor call <c>{id}</c>;
/// <c>POST /api/supervise</c> with <c>{supervisor, agent, mode}</c> checks the role (403), the agent (404) and its call
/// (409), then answers 501: calling the supervisor's phone is not implemented yet (dial <c>*81</c>/<c>*82</c>/<c>*83</c>
/// + extension instead).
/// </summary>
public static class SupervisionApi
{
    public sealed record SuperviseRequest(string? Supervisor, string? Agent, string? Mode);

    public sealed record ModeRequest(string? Mode);

    public static void MapSupervisionApi(this WebApplication app)
    {
        app.MapGet("/api/supervise", (PbxServer server) => Results.Json(
            server.Calls.Calls.OfType<SupervisorCall>().Where(c => !c.IsEnded).Select(c => new
            {
                id = c.Id,
                supervisor = c.SupervisorNumber,
                agent = c.Agent,
                callId = c.Target.Id,
                mode = c.Mode.ToString(),
            })));

        app.MapPost("/api/supervise", (SuperviseRequest body, PbxServer server) =>
        {
            if (!server.Calls.IsSupervisor(body.Supervisor))
            {
                return Results.Json(new { error = $"{body.Supervisor} is not a supervisor" }, statusCode: 403);
            }
            if (ParseMode(body.Mode) is null)
            {
                return Results.Json(new { error = "mode must be listen, whisper or barge" }, statusCode: 400);
            }
            if (server.Calls.Directory.FindExtension(body.Agent) is null)
            {
                return Results.Json(new { error = $"no extension {body.Agent}" }, statusCode: 404);
            }
            if (server.Calls.FindCallOfAgent(body.Agent!) is null)
            {
                return Results.Json(new { error = $"{body.Agent} is not in a call" }, statusCode: 409);
            }
            return Results.Json(new { error = "calling the supervisor's phone is not implemented; dial *81/*82/*83 + extension" },
                statusCode: 501);
        });

        app.MapPost("/api/supervise/{id}/mode", (string id, ModeRequest body, PbxServer server) =>
        {
            if (ParseMode(body.Mode) is not { } mode)
            {
                return Results.Json(new { error = "mode must be listen, whisper, barge or takeover" }, statusCode: 400);
            }
            if (server.Calls.Calls.OfType<SupervisorCall>().FirstOrDefault(c => c.Id == id && !c.IsEnded) is not { } call)
            {
                return Results.Json(new { error = $"no active supervision {id}" }, statusCode: 404);
            }
            call.SetMode(mode);
            return Results.Json(new { id, mode = mode.ToString() });
        });
    }

    private static SupervisorMode? ParseMode(string? mode) => mode?.ToLowerInvariant() switch
    {
        "listen" => SupervisorMode.Listen,
        "whisper" => SupervisorMode.Whisper,
        "barge" => SupervisorMode.Barge,
        "takeover" or "take-over" => SupervisorMode.TakeOver,
        _ => null,
    };
}
