using System.Buffers.Binary;
using Telephony.Recording.Writing;

namespace Telephony.Recording.Tests;

/// <summary>Helpers shared by the tests: temp folders, vector tables and a WAV reader.</summary>
internal static class TestFiles
{
    public static short[] DecodeTable(string name)
    {
        byte[] bytes = File.ReadAllBytes(System.IO.Path.Combine(AppContext.BaseDirectory, "Vectors", "g711", name));
        var table = new short[256];
        for (int i = 0; i < 256; i++)
        {
            table[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(i * 2));
        }

        return table;
    }

    /// <summary>Parses a stereo recording back to linear samples per channel, checking sizes agree with the file.</summary>
    public static (WavHeaderInfo Info, short[] Left, short[] Right) ReadStereo(byte[] file)
    {
        Assert.True(WavHeader.TryRead(file, out WavHeaderInfo info));
        Assert.Equal(2, info.Channels);
        Assert.Equal(8000, info.SampleRateHz);
        Assert.Equal((uint)(file.Length - info.DataOffset), info.DataLengthField);
        Assert.Equal((uint)(file.Length - 8), info.RiffLengthField);
        int frames = (file.Length - info.DataOffset) / info.BlockAlign;
        if (info.FactOffset >= 0)
        {
            Assert.Equal((uint)frames, BinaryPrimitives.ReadUInt32LittleEndian(file.AsSpan(info.FactOffset)));
        }

        short[]? table = info.Format switch
        {
            RecordingFormat.MuLaw => DecodeTable("pcmu-decode-256.s16le"),
            RecordingFormat.ALaw => DecodeTable("pcma-decode-256.s16le"),
            _ => null,
        };
        var left = new short[frames];
        var right = new short[frames];
        ReadOnlySpan<byte> data = file.AsSpan(info.DataOffset);
        for (int i = 0; i < frames; i++)
        {
            if (table is null)
            {
                left[i] = BinaryPrimitives.ReadInt16LittleEndian(data[(i * 4)..]);
                right[i] = BinaryPrimitives.ReadInt16LittleEndian(data[(i * 4 + 2)..]);
            }
            else
            {
                left[i] = table[data[i * 2]];
                right[i] = table[data[i * 2 + 1]];
            }
        }

        return (info, left, right);
    }
}

/// <summary>A temp folder deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "telephony-recording-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
