namespace Telephony.Host.Configuration;

/// <summary>
/// Locates the config and sounds folders: the configured path, else <c>config/</c> and <c>sounds/</c> in the
/// working directory, else the nearest ancestor of the executable that has them (so <c>dotnet run</c> and the
/// test host both find the repository's sample files).
/// </summary>
public static class TelephonyPaths
{
    public static string Resolve(string? configured, string defaultName, string markerFile)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }
        var cwd = Path.Combine(Directory.GetCurrentDirectory(), defaultName);
        if (File.Exists(Path.Combine(cwd, markerFile)) || Directory.Exists(cwd) && markerFile.Length == 0)
        {
            return cwd;
        }
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, defaultName);
            if (File.Exists(Path.Combine(candidate, markerFile)))
            {
                return candidate;
            }
        }
        return cwd;
    }
}
