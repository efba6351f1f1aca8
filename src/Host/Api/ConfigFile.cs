using System.Text;

namespace Telephony.Host.Api;

/// <summary>An admin-editable configuration file: <c>ivr</c> → <c>config/ivr.yaml</c>, <c>queues</c> → <c>config/queues.yaml</c>.
/// Writes go to a temporary file in the same folder and are renamed over the file, so the hot reload never reads half
/// a file.</summary>
public sealed record ConfigFile(string Kind, string Name, string Path)
{
    /// <summary>The file of <paramref name="kind"/> in <paramref name="configDirectory"/>.</summary>
    public static ConfigFile Of(string kind, string configDirectory) => kind switch
    {
        "ivr" => new ConfigFile(kind, "ivr.yaml", System.IO.Path.Combine(configDirectory, "ivr.yaml")),
        "queues" => new ConfigFile(kind, "queues.yaml", System.IO.Path.Combine(configDirectory, "queues.yaml")),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "ivr or queues"),
    };

    /// <summary>The file's text, or "" when it does not exist.</summary>
    public string Read() => File.Exists(Path) ? File.ReadAllText(Path) : "";

    /// <summary>Replaces the file with <paramref name="content"/> (UTF-8, no BOM).</summary>
    public void Write(string content)
    {
        string temp = Path + ".saving-" + Guid.NewGuid().ToString("N");
        File.WriteAllText(temp, content, new UTF8Encoding(false));
        try
        {
            File.Move(temp, Path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
