using System.Globalization;

namespace Telephony.Interop.Tests.Supervisor;

/// <summary>
/// Who hears whom in a supervised call: caller, agent and supervisor each send their own tone, and each phone's
/// recording is sliced per phase and checked by Goertzel share (heard: at least 15 % of the energy; not heard: under 3 %).
/// </summary>
internal static class SupervisionAudio
{
    public const double CallerHz = 440;
    public const double AgentHz = 1000;
    public const double SupervisorHz = 1800;

    public static void AssertHears(short[] heard, double hz, bool expected, string what, string context)
    {
        double share = AudioAnalysis.ToneShare(heard, hz);
        if (expected)
        {
            Assert.True(share >= 0.15, $"{what} ({hz} Hz) should be heard: share {share:0.000}\n{context}");
        }
        else
        {
            Assert.True(share < 0.03, $"{what} ({hz} Hz) should not be heard: share {share:0.000}\n{context}");
        }
    }

    public static string Shares(short[] s) => string.Create(CultureInfo.InvariantCulture,
        $"440={AudioAnalysis.ToneShare(s, CallerHz):0.00} 1000={AudioAnalysis.ToneShare(s, AgentHz):0.00} 1800={AudioAnalysis.ToneShare(s, SupervisorHz):0.00} ({AudioAnalysis.RmsDbfs(s):0} dBFS)");

    /// <summary>The slice [from + 0.6 s, to - 0.3 s) of a recording that started at 0, leaving margins for timing.</summary>
    public static short[] Slice(short[] samples, TimeSpan from, TimeSpan to)
    {
        int start = Math.Clamp((int)((from.TotalSeconds + 0.6) * 8000), 0, samples.Length);
        int end = Math.Clamp((int)((to.TotalSeconds - 0.3) * 8000), start, samples.Length);
        return samples[start..end];
    }

    /// <summary>The peer's longest dec.wav (a supervisor's long session; the caller's and agent's only call).</summary>
    public static string Longest(BaresipPeer peer)
    {
        string[] files = Directory.GetFiles(peer.RecordingDirectory, "*-dec.wav");
        Assert.True(files.Length > 0, $"{peer.Options.Name}: no recording");
        return files.OrderByDescending(f => new FileInfo(f).Length).First();
    }
}
