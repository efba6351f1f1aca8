namespace Telephony.Pbx.Tests.Media.Resampling;

/// <summary>
/// Bytes a hot-path call allocates on this thread. Measures several rounds and keeps the smallest: code that allocates
/// per call shows in every round, while the runtime's one-off work (tiered JIT promoting a method after its call count
/// is reached, a few dozen bytes once) lands in one round only.
/// </summary>
internal static class AllocationProbe
{
    public static double BytesPerCall(Action call, int callsPerRound = 500, int rounds = 4)
    {
        for (var i = 0; i < 50; i++)
        {
            call();
        }

        var least = long.MaxValue;
        for (var round = 0; round < rounds; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < callsPerRound; i++)
            {
                call();
            }

            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return least / (double)callsPerRound;
    }
}
