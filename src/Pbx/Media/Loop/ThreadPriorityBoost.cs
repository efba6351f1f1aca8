using System.Runtime.InteropServices;

namespace Telephony.Pbx.Media.Loop;

/// <summary>
/// Raises the calling thread's scheduling priority on Linux (<c>setpriority(PRIO_PROCESS, tid, nice)</c>), best effort.
/// .NET's <see cref="Thread.Priority"/> is a no-op on Linux, so a media loop competing with a busy box (builds, the
/// SIP path, a load generator) gets preempted mid-tick and sends late. A negative nice needs root or CAP_SYS_NICE;
/// without it the call fails and the loop runs at normal priority.
/// </summary>
internal static partial class ThreadPriorityBoost
{
    private const int PrioProcess = 0;

    /// <summary>Applies <paramref name="nice"/> (-20..19) to the current thread; returns false when not possible.</summary>
    public static bool TrySetCurrentThreadNice(int nice)
    {
        if (nice == 0 || !OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            return SetPriority(PrioProcess, (uint)GetTid(), Math.Clamp(nice, -20, 19)) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, uint who, int prio);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetTid();
}
