namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>Runs SIPp 3.6.1 to completion (see <see cref="SippProcess"/> for background runs).</summary>
public static class Sipp
{
    /// <summary>Runs one SIPp and returns its result; never outlives the options' hard timeout.</summary>
    public static async Task<SippResult> RunAsync(SippOptions options)
    {
        await using SippProcess p = SippProcess.Start(options);
        return await p.WaitAsync().ConfigureAwait(false);
    }
}
