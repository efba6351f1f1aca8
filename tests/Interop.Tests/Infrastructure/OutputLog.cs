using System.Text;

namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>
/// Thread-safe list of lines captured from a child process (stdout and stderr), with bounded waits for a
/// substring. Substring search also finds text glued to a line without a newline (baresip's status line).
/// </summary>
public sealed class OutputLog
{
    private readonly List<string> lines = [];
    private readonly Lock gate = new();

    /// <summary>Lines captured so far.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return lines.Count;
            }
        }
    }

    /// <summary>Appends a line (called from the process' reader threads).</summary>
    public void Add(string line)
    {
        lock (gate)
        {
            lines.Add(line);
        }
    }

    /// <summary>A copy of every line captured so far.</summary>
    public IReadOnlyList<string> Snapshot()
    {
        lock (gate)
        {
            return [.. lines];
        }
    }

    /// <summary>True if any line contains <paramref name="substring"/> (ordinal).</summary>
    public bool Contains(string substring) => FindIndex(substring, 0) >= 0;

    /// <summary>How many lines contain <paramref name="substring"/>.</summary>
    public int CountOf(string substring)
    {
        lock (gate)
        {
            return lines.Count(l => l.Contains(substring, StringComparison.Ordinal));
        }
    }

    /// <summary>Lines that contain <paramref name="substring"/>.</summary>
    public IReadOnlyList<string> Matching(string substring)
    {
        lock (gate)
        {
            return lines.Where(l => l.Contains(substring, StringComparison.Ordinal)).ToList();
        }
    }

    /// <summary>
    /// Waits until a line at index &gt;= <paramref name="fromLine"/> contains <paramref name="substring"/>; returns it.
    /// Throws <see cref="TimeoutException"/> with the log tail when <paramref name="timeout"/> passes,
    /// or earlier when <paramref name="stillRunning"/> turns false.
    /// </summary>
    public async Task<string> WaitForAsync(
        string substring, TimeSpan timeout, int fromLine = 0, Func<bool>? stillRunning = null, string? what = null)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            int i = FindIndex(substring, fromLine);
            if (i >= 0)
            {
                lock (gate)
                {
                    return lines[i];
                }
            }

            if (stillRunning is not null && !stillRunning())
            {
                await Task.Delay(200).ConfigureAwait(false); // let the readers drain
                i = FindIndex(substring, fromLine);
                if (i >= 0)
                {
                    lock (gate)
                    {
                        return lines[i];
                    }
                }

                throw new TimeoutException(
                    $"{what ?? "process"} exited before logging \"{substring}\". Log tail:\n{Tail()}");
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException(
                    $"{what ?? "process"} did not log \"{substring}\" within {timeout.TotalSeconds:0.#} s. Log tail:\n{Tail()}");
            }

            await Task.Delay(50).ConfigureAwait(false);
        }
    }

    /// <summary>The last <paramref name="maxLines"/> lines joined with newlines.</summary>
    public string Tail(int maxLines = 80)
    {
        lock (gate)
        {
            var sb = new StringBuilder();
            foreach (string l in lines.Skip(Math.Max(0, lines.Count - maxLines)))
            {
                sb.AppendLine(l);
            }

            return sb.ToString();
        }
    }

    /// <inheritdoc />
    public override string ToString() => Tail(int.MaxValue);

    private int FindIndex(string substring, int from)
    {
        lock (gate)
        {
            for (int i = Math.Max(0, from); i < lines.Count; i++)
            {
                if (lines[i].Contains(substring, StringComparison.Ordinal))
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
