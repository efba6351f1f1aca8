using System.Diagnostics;

namespace Telephony.Interop.Tests.Deployment;

/// <summary>A command run to completion with stdout and stderr kept apart (for exit codes and messages).</summary>
public sealed record ProcessRun(int ExitCode, string Out, string Error)
{
    /// <summary>Runs <paramref name="fileName"/>; kills it after <paramref name="timeout"/> (default 60 s).</summary>
    public static async Task<ProcessRun> RunAsync(string fileName, IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (string a in arguments)
        {
            psi.ArgumentList.Add(a);
        }
        foreach ((string key, string? value) in environment ?? new Dictionary<string, string?>())
        {
            psi.Environment[key] = value;
        }
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', psi.ArgumentList)} did not finish in time");
        }
        return new ProcessRun(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    /// <summary>Runs the built server executable (<c>dotnet Telephony.Host.dll</c> from the test output) with <paramref name="arguments"/>.</summary>
    public static Task<ProcessRun> HostAsync(params string[] arguments)
    {
        string dll = Path.Combine(RepoPaths.TestBinDirectory, "Telephony.Host.dll");
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        return RunAsync(dotnet, [dll, .. arguments], new Dictionary<string, string?> { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" });
    }

    /// <summary>For assertion messages.</summary>
    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Error}";
}
