using System.Reflection;

namespace Telephony.Host.Cli;

/// <summary>The version of this build: the assembly's informational version, <c>1.0.0+&lt;git commit&gt;</c> when the
/// SDK found the repository's commit (Source Link), else the plain version.</summary>
public static class HostVersion
{
    public static string Informational { get; } =
        typeof(HostVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(HostVersion).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
