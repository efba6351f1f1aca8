namespace Telephony.Calls.Tests.InProcess;

/// <summary>Variants of the sample config/ for tests that are about something else.</summary>
internal static class SampleConfig
{
    /// <summary>The sample config without the support queue's post-call survey (which keeps the caller on the server when
    /// the agent hangs up first): for tests where the caller leaves with the agent.</summary>
    public static string WithoutSurvey() =>
        InProcessPbx.ConfigCopy(editQueues: q => q.Replace("    survey: csat", "    # survey: csat", StringComparison.Ordinal));
}
