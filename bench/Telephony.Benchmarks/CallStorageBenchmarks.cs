using BenchmarkDotNet.Attributes;
using Dapper;
using System.Data.Common;
using Telephony.Recording.Storage;
using Telephony.Recording.Writing;

namespace Telephony.Benchmarks;

/// <summary>
/// What every call set up costs in storage and recording files (perf5): one event appended to the event log (the
/// server writes about five per call), as Dapper wrote it (unprefixed parameter names) and as <see cref="EventLog"/>
/// writes it now; and a 1 s recording file opened, written (header + 50 frames of 20 ms stereo PCM16) and closed through
/// a 16 KB-buffered <see cref="FileStream"/> (before) and through <see cref="PooledWriteStream"/> (now). SQLite in the
/// temp folder, migrated once.
/// </summary>
[MemoryDiagnoser]
public class CallStorageBenchmarks
{
    private const string InsertSql =
        "INSERT INTO events (occurred_at, type, call_id, payload) VALUES (@At, @Type, @CallId, @Payload) RETURNING sequence;";
    private const string Payload = """{"callId":"bench-call@127.0.0.2","caller":"08001234567","dialed":"9002"}""";
    private static readonly byte[] Frame = new byte[640];
    private Database _database = null!;
    private EventLog _events = null!;
    private string _folder = null!;
    private int _file;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("telephony-call-storage-bench-").FullName;
        _database = new Database(Path.Combine(_folder, "bench.db"));
        _database.MigrateAsync().GetAwaiter().GetResult();
        _events = new EventLog(_database);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    /// <summary>Before: Dapper with an anonymous object (Microsoft.Data.Sqlite searches ':', '@', '$' per parameter).</summary>
    [Benchmark(Baseline = true)]
    public async Task<long> EventAppendDapper()
    {
        await using DbConnection connection = await _database.OpenAsync();
        return await connection.ExecuteScalarAsync<long>(InsertSql,
            new { At = 1_765_000_000_000L, Type = "call.started", CallId = "bench-call@127.0.0.2", Payload });
    }

    /// <summary>Now: <see cref="EventLog.AppendAsync(string, string?, string, DateTimeOffset, CancellationToken)"/>.</summary>
    [Benchmark]
    public Task<long> EventAppendPlainCommand() =>
        _events.AppendAsync("call.started", "bench-call@127.0.0.2", Payload, DateTimeOffset.FromUnixTimeMilliseconds(1_765_000_000_000L));

    /// <summary>Before: a recording's file through a FileStream with its own 16 KB buffer.</summary>
    [Benchmark]
    public long RecordingFileBuffered()
    {
        using var stream = new FileStream(NextPath(), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 16 * 1024);
        return WriteOneSecond(stream);
    }

    /// <summary>Now: an unbuffered FileStream behind <see cref="PooledWriteStream"/> (16 KB rented, returned at close).</summary>
    [Benchmark]
    public long RecordingFilePooled()
    {
        using var stream = new PooledWriteStream(
            new FileStream(NextPath(), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0), 16 * 1024);
        return WriteOneSecond(stream);
    }

    private static long WriteOneSecond(Stream stream)
    {
        stream.Write(Frame.AsSpan(0, 44)); // the header
        for (int i = 0; i < 50; i++)
        {
            stream.Write(Frame);
            if (i % 12 == 11)
            {
                stream.Flush(); // a writer round (250 ms)
            }
        }

        stream.Flush();
        long end = stream.Position;
        stream.Position = 0; // the close-time header patch
        stream.Write(Frame.AsSpan(0, 44));
        stream.Position = end;
        stream.Flush();
        return end;
    }

    private string NextPath()
    {
        string path = Path.Combine(_folder, $"r{_file++ % 64}.wav");
        File.Delete(path);
        return path;
    }
}
