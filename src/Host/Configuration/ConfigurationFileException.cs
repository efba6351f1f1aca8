namespace Telephony.Host.Configuration;

/// <summary>A configuration file could not be used; the message names file, line, column and the problem.</summary>
public sealed class ConfigurationFileException(string path, int line, int column, string problem)
    : Exception(line > 0 ? $"{path}:{line}:{column}: {problem}" : $"{path}: {problem}")
{
    public string FilePath { get; } = path;
    public int Line { get; } = line;
    public int Column { get; } = column;
}
