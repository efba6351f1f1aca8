using Telephony.Host.Configuration;

namespace Telephony.Host.Tests.Cli;

/// <summary>A copy of the repository's sample <c>config/</c> in a temp folder, to break on purpose; deleted on dispose.</summary>
internal sealed class SampleConfigCopy : IDisposable
{
    public SampleConfigCopy()
    {
        Root = Path.Combine(Path.GetTempPath(), "telephony-cli-" + Guid.NewGuid().ToString("N"));
        Config = Path.Combine(Root, "config");
        Directory.CreateDirectory(Config);
        foreach (var file in Directory.GetFiles(SampleConfig))
        {
            File.Copy(file, Path.Combine(Config, Path.GetFileName(file)));
        }
    }

    /// <summary>The repository's config/ (found from the test's bin folder).</summary>
    public static string SampleConfig { get; } = TelephonyPaths.Resolve(null, "config", "telephony.yaml");

    public string Root { get; }

    public string Config { get; }

    public string PathOf(string name) => Path.Combine(Config, name);

    /// <summary>Replaces <paramref name="old"/> (which must occur) in <paramref name="name"/>; returns its 1-based line.</summary>
    public int Replace(string name, string old, string replacement)
    {
        var text = File.ReadAllText(PathOf(name));
        var at = text.IndexOf(old, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{old}' not in {name}");
        File.WriteAllText(PathOf(name), text[..at] + replacement + text[(at + old.Length)..]);
        return text[..at].Count(c => c == '\n') + 1;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
