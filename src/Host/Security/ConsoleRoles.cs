namespace Telephony.Host.Security;

/// <summary>
/// The console roles (HTTP API and event stream) and the authorization policies named after them. Each role includes
/// the ones below it for the policies: <see cref="AgentPolicy"/> admits agent, supervisor and admin,
/// <see cref="SupervisorPolicy"/> supervisor and admin, <see cref="AdminPolicy"/> admin only.
/// </summary>
public static class ConsoleRoles
{
    public const string Agent = "agent";
    public const string Supervisor = "supervisor";
    public const string Admin = "admin";

    public const string AgentPolicy = "console-agent";
    public const string SupervisorPolicy = "console-supervisor";
    public const string AdminPolicy = "console-admin";

    /// <summary>The console role for a configured role name (extension or account), or null when it has no console access.</summary>
    public static string? Parse(string? role) => role?.Trim().ToLowerInvariant() switch
    {
        Agent => Agent,
        Supervisor => Supervisor,
        Admin => Admin,
        _ => null,
    };

    /// <summary>True when <paramref name="role"/> sees everything of the given kind (supervisor or admin).</summary>
    public static bool SeesAll(string? role) => role is Supervisor or Admin;
}
