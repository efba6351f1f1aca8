namespace Telephony.Ivr.Tests;

/// <summary>Finds the repository root (the folder with Telephony.sln) and the test vectors copied next to the tests.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string SampleConfig => Path.Combine(Root, "config", "ivr.yaml");
    public static string Sounds => Path.Combine(Root, "sounds");
    public static string Vectors => Path.Combine(AppContext.BaseDirectory, "Vectors", "ivr");
    public static string SourceVectors => Path.Combine(Root, "tests", "Vectors", "ivr");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Telephony.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Telephony.sln not found above " + AppContext.BaseDirectory);
    }
}
