namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>
/// Well-known paths of the repository the tests run from: the root (the folder holding Telephony.sln,
/// found by walking up from the test binaries), <c>config/</c>, <c>sounds/</c> and the SIPp scenarios
/// copied next to the test assembly.
/// </summary>
public static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The repository root (contains Telephony.sln).</summary>
    public static string Root => LazyRoot.Value;

    /// <summary><c>&lt;root&gt;/config</c>: the server's sample configuration.</summary>
    public static string ConfigDirectory => Path.Combine(Root, "config");

    /// <summary><c>&lt;root&gt;/sounds</c>: prompts, one folder per language.</summary>
    public static string SoundsDirectory => Path.Combine(Root, "sounds");

    /// <summary>The folder holding the test assembly and the server's dll (the test project references the Host).</summary>
    public static string TestBinDirectory => AppContext.BaseDirectory;

    /// <summary>SIPp scenario files (<c>tests/Interop.Tests/Scenarios</c>, copied to the output).</summary>
    public static string ScenariosDirectory => Path.Combine(AppContext.BaseDirectory, "Scenarios");

    /// <summary>Path of a prompt: <c>sounds/&lt;language&gt;/&lt;id&gt;.wav</c>.</summary>
    public static string Sound(string id, string language = "en") => Path.Combine(SoundsDirectory, language, id + ".wav");

    /// <summary>Path of a scenario file by name (with or without <c>.xml</c>).</summary>
    public static string Scenario(string name) =>
        Path.Combine(ScenariosDirectory, name.EndsWith(".xml", StringComparison.Ordinal) ? name : name + ".xml");

    /// <summary>Creates a fresh, unique temp directory for one test artefact set.</summary>
    public static string NewTempDirectory(string prefix)
    {
        string dir = Path.Combine(Path.GetTempPath(), "telephony-tests", $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string FindRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Telephony.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Telephony.sln not found above {AppContext.BaseDirectory}");
    }
}
