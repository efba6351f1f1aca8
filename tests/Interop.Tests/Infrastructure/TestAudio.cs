using System.Diagnostics;
using System.Globalization;

namespace Telephony.Interop.Tests.Infrastructure;

/// <summary>
/// Makes test audio with espeak-ng and sox (8 kHz mono PCM16 WAV unless said otherwise): speech from text,
/// tones, loops (baresip hangs up when its aufile source ends) and headerless µ-law for SIPp <c>rtp_stream</c>.
/// </summary>
public static class TestAudio
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Speaks <paramref name="text"/> into <paramref name="path"/>, normalised to -3 dBFS; optionally padded/trimmed to a length.</summary>
    public static string Speech(string text, string path, double? exactSeconds = null, int wordsPerMinute = 150)
    {
        string raw = path + ".22k.wav";
        Run("espeak-ng", ["-v", "en-us", "-s", wordsPerMinute.ToString(CultureInfo.InvariantCulture), "-a", "180", "-w", raw, text]);
        var args = new List<string> { "-V1", raw, "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", path, "norm", "-3" };
        if (exactSeconds is double s)
        {
            string v = s.ToString("0.###", CultureInfo.InvariantCulture);
            args.AddRange(["pad", "0", v, "trim", "0", v]);
        }

        Run("sox", args);
        File.Delete(raw);
        return path;
    }

    /// <summary>A sine tone (volume 0..1) of <paramref name="seconds"/>.</summary>
    public static string Tone(double frequencyHz, double seconds, string path, double volume = 0.5)
    {
        Run("sox", ["-V1", "-n", "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", path,
            "synth", seconds.ToString(CultureInfo.InvariantCulture), "sine", frequencyHz.ToString(CultureInfo.InvariantCulture),
            "vol", volume.ToString(CultureInfo.InvariantCulture)]);
        return path;
    }

    /// <summary>Digital silence of <paramref name="seconds"/>.</summary>
    public static string Silence(double seconds, string path)
    {
        Run("sox", ["-V1", "-n", "-r", "8000", "-c", "1", "-b", "16", "-e", "signed-integer", path,
            "trim", "0", seconds.ToString(CultureInfo.InvariantCulture)]);
        return path;
    }

    /// <summary><paramref name="wav"/> played 1 + <paramref name="repeats"/> times into <paramref name="path"/>.</summary>
    public static string Loop(string wav, string path, int repeats = 30)
    {
        Run("sox", ["-V1", wav, path, "repeat", repeats.ToString(CultureInfo.InvariantCulture)]);
        return path;
    }

    /// <summary>Headerless µ-law (8000 bytes/s) for SIPp <c>rtp_stream</c>.</summary>
    public static string ToUlaw(string wav, string path)
    {
        Run("sox", ["-V1", wav, "-t", "raw", "-r", "8000", "-c", "1", "-e", "mu-law", "-b", "8", path]);
        return path;
    }

    /// <summary>Duration by <c>soxi -D</c>.</summary>
    public static double Duration(string wav) =>
        double.Parse(Run("soxi", ["-D", wav]).Trim(), CultureInfo.InvariantCulture);

    /// <summary>Runs a tool with a timeout; throws with its stderr when it fails. Returns stdout.</summary>
    public static string Run(string tool, IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo(tool)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        Process p;
        try
        {
            p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {tool}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException(
                $"{tool} is not installed ({ex.Message}): run scripts/test.sh or apt-get install sox libsox-fmt-all espeak-ng", ex);
        }

        using (p)
        {
            Task<string> stdout = p.StandardOutput.ReadToEndAsync();
            Task<string> stderr = p.StandardError.ReadToEndAsync();
            if (!p.WaitForExit(ToolTimeout))
            {
                p.Kill(entireProcessTree: true);
                throw new TimeoutException($"{tool} {string.Join(' ', args)} took longer than {ToolTimeout}");
            }

            if (p.ExitCode != 0)
            {
                throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({p.ExitCode}): {stderr.Result}");
            }

            return stdout.Result;
        }
    }
}
