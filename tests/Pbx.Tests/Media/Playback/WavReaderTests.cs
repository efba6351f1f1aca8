using System.Buffers.Binary;
using System.Text;
using Telephony.Pbx.Media;
using Telephony.Pbx.Media.Playback;

namespace Telephony.Pbx.Tests.Media.Playback;

public sealed class WavReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("wavtests").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    internal static byte[] BuildWav(short[] samples, int rate = 8000, int channels = 1, int bits = 16, int tag = 1,
        bool withList = false)
    {
        using var ms = new MemoryStream();
        using var w = new BinaryWriter(ms);
        w.Write(Encoding.ASCII.GetBytes("RIFF"));
        w.Write(0);
        w.Write(Encoding.ASCII.GetBytes("WAVE"));
        if (withList)
        {
            w.Write(Encoding.ASCII.GetBytes("LIST"));
            w.Write(3); // odd size: padded to 4
            w.Write(new byte[] { 1, 2, 3, 0 });
        }

        w.Write(Encoding.ASCII.GetBytes("fmt "));
        w.Write(16);
        w.Write((short)tag);
        w.Write((short)channels);
        w.Write(rate);
        w.Write(rate * channels * bits / 8);
        w.Write((short)(channels * bits / 8));
        w.Write((short)bits);
        w.Write(Encoding.ASCII.GetBytes("data"));
        w.Write(samples.Length * 2);
        foreach (var s in samples)
        {
            w.Write(s);
        }

        var bytes = ms.ToArray();
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(4), bytes.Length - 8);
        return bytes;
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public void Loads_8k_mono_pcm16_and_skips_other_chunks()
    {
        var path = Write("welcome.wav", BuildWav([1, -2, 3, short.MaxValue, short.MinValue], withList: true));
        var clip = AudioClip.LoadWav(path);
        Assert.Equal("welcome", clip.Name);
        Assert.Equal([1, -2, 3, short.MaxValue, short.MinValue], clip.Samples.ToArray());
        Assert.Equal(TimeSpan.FromSeconds(5 / 8000.0), clip.Duration);
    }

    [Theory]
    [InlineData(16000, 1, 16, 1, "16000 Hz")]
    [InlineData(8000, 2, 16, 1, "2 channel")]
    [InlineData(8000, 1, 8, 1, "8-bit")]
    [InlineData(8000, 1, 8, 7, "not PCM")]
    public void Rejects_other_formats_naming_the_file(int rate, int channels, int bits, int tag, string reason)
    {
        var path = Write("bad.wav", BuildWav(new short[10], rate, channels, bits, tag));
        var e = Assert.Throws<WavFormatException>(() => AudioClip.LoadWav(path));
        Assert.Contains("bad.wav", e.Message);
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void Rejects_non_riff_and_missing_files()
    {
        var path = Write("text.wav", Encoding.ASCII.GetBytes("hello, this is not audio"));
        Assert.Contains("text.wav: not a RIFF/WAVE", Assert.Throws<WavFormatException>(() => AudioClip.LoadWav(path)).Message);
        var missing = Path.Combine(_dir, "missing.wav");
        Assert.Contains("missing.wav", Assert.Throws<WavFormatException>(() => AudioClip.LoadWav(missing)).Message);
    }

    [Fact]
    public void Cache_loads_once_and_shares_the_clip()
    {
        var path = Write("a.wav", BuildWav([5, 6]));
        var cache = new AudioClipCache();
        var first = cache.Get(path);
        Assert.Same(first, cache.Get(Path.Combine(_dir, ".", "a.wav")));
        Assert.Equal(1, cache.Count);
    }
}
