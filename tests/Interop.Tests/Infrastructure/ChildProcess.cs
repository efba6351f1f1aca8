using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>
/// A peer or server started as a real process: stdout/stderr captured line by line into an
/// <see cref="OutputLog"/>, stdin closed, POSIX signals, and a dispose that never leaves the process
/// (or its children) behind.
/// </summary>
public sealed partial class ChildProcess : IAsyncDisposable
{
    /// <summary>SIGKILL.</summary>
    public const int SigKill = 9;

    /// <summary>SIGTERM.</summary>
    public const int SigTerm = 15;

    /// <summary>SIGINT.</summary>
    public const int SigInt = 2;

    private readonly Process process;

    private ChildProcess(Process process, string name, string commandLine)
    {
        this.process = process;
        Name = name;
        CommandLine = commandLine;
    }

    /// <summary>Short name for messages.</summary>
    public string Name { get; }

    /// <summary>The command line, for messages.</summary>
    public string CommandLine { get; }

    /// <summary>Captured stdout and stderr lines (stderr lines are not marked).</summary>
    public OutputLog Output { get; } = new();

    /// <summary>The OS process id.</summary>
    public int Id => process.Id;

    /// <summary>True once the process has exited.</summary>
    public bool HasExited
    {
        get
        {
            try
            {
                return process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return true;
            }
        }
    }

    /// <summary>Exit code, or null while running.</summary>
    public int? ExitCode => HasExited ? process.ExitCode : null;

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>.</summary>
    public static ChildProcess Start(
        string name,
        string fileName,
        IEnumerable<string> arguments,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            CreateNoWindow = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (string a in arguments)
        {
            psi.ArgumentList.Add(a);
        }

        if (environment is not null)
        {
            foreach ((string key, string? value) in environment)
            {
                psi.Environment[key] = value;
            }
        }

        string commandLine = fileName + " " + string.Join(' ', psi.ArgumentList.Select(Quote));
        var p = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var child = new ChildProcess(p, name, commandLine);
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                child.Output.Add(e.Data);
            }
        };
        p.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                child.Output.Add(e.Data);
            }
        };
        try
        {
            p.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            p.Dispose();
            throw new InvalidOperationException(
                $"Cannot start {fileName} ({ex.Message}). Install the peers: run scripts/test.sh, or " +
                "apt-get install -y --no-install-recommends sip-tester baresip baresip-core sox libsox-fmt-all espeak-ng",
                ex);
        }

        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        try
        {
            p.StandardInput.Close();
        }
        catch (IOException)
        {
            // The process may already be gone; its output says why.
        }

        return child;
    }

    /// <summary>Sends a POSIX signal to the process (not its children).</summary>
    public bool Signal(int signal) => !HasExited && kill(process.Id, signal) == 0;

    /// <summary>Waits for exit; returns false on timeout (the process keeps running).</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return HasExited;
        }
    }

    /// <summary>SIGKILL to the process and all its descendants.</summary>
    public void Kill()
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // already exited
        }
    }

    /// <summary>SIGTERM, wait up to <paramref name="grace"/>, then SIGKILL. Returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan grace)
    {
        if (!HasExited)
        {
            Signal(SigTerm);
            if (!await WaitForExitAsync(grace).ConfigureAwait(false))
            {
                Kill();
                await WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            }
        }

        return process.ExitCode;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Kill();
        await WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        try
        {
            // Let the async readers deliver the last lines.
            process.WaitForExit(2000);
        }
        catch (InvalidOperationException)
        {
            // never started
        }

        process.Dispose();
    }

    private static string Quote(string s) => s.Length > 0 && !s.Any(char.IsWhiteSpace) && !s.Contains('"') ? s : $"\"{s}\"";

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int kill(int pid, int sig);
}
