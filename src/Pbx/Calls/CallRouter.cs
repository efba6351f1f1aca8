using Telephony.Pbx.Calls.Configuration;
using Telephony.Pbx.Media.Playback;
using Telephony.Pbx.Sip;
using Telephony.Pbx.Sip.Registrar;

namespace Telephony.Pbx.Calls;

/// <summary>Where a dialed number goes.</summary>
public enum RouteKind { NotFound, Echo, Prompt, PromptThenEcho, Extension, Application, Supervise }

/// <summary>The routing decision for one INVITE.</summary>
public sealed record CallRoute(RouteKind Kind, string? Target = null, string? PromptFile = null);

/// <summary>
/// Dialed number to destination: test numbers, trunk DIDs (only for calls that came in on that trunk), then
/// extensions. Trunk calls may reach test numbers and their DIDs, not arbitrary extensions.
/// </summary>
public sealed class CallRouter(PbxDirectory directory, ICallApplications applications)
{
    public CallRoute Route(string? dialed, TrunkOptions? trunk, string? caller)
    {
        if (string.IsNullOrEmpty(dialed))
        {
            return new CallRoute(RouteKind.NotFound);
        }
        var numbers = directory.Numbers;
        if (dialed == numbers.Echo)
        {
            return new CallRoute(RouteKind.Echo);
        }
        if (dialed == numbers.Prompt)
        {
            return new CallRoute(RouteKind.Prompt, PromptFile: numbers.PromptFile);
        }
        if (dialed == numbers.Bench)
        {
            return new CallRoute(RouteKind.PromptThenEcho, PromptFile: numbers.BenchPromptFile);
        }
        if (trunk is null && SupervisionCodes.TryParse(dialed, out _, out var agent))
        {
            return new CallRoute(RouteKind.Supervise, agent);
        }
        // Extensions reach any number an application claims; a trunk only the claimed numbers among its DIDs.
        if (applications.Answers(dialed) && (trunk is null || trunk.Dids.ContainsKey(dialed)))
        {
            return new CallRoute(RouteKind.Application, dialed);
        }
        if (trunk is not null)
        {
            return trunk.Dids.TryGetValue(dialed, out var target) && directory.FindExtension(target) is not null
                ? new CallRoute(RouteKind.Extension, target)
                : new CallRoute(RouteKind.NotFound);
        }
        return directory.FindExtension(dialed) is not null
            ? new CallRoute(RouteKind.Extension, dialed)
            : new CallRoute(RouteKind.NotFound);
    }
}
