using System.Globalization;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using Telephony.Recording.Statistics;
using Telephony.Recording.Storage;

namespace Telephony.Benchmarks;

/// <summary>
/// The statistics API's database path on a generated database: 1 million queue visits of 10 queues over 30 days
/// (Europe/Berlin, across the October DST change) answered by 50 agents, and their agent state history (about 4
/// changes per call, with the 15-minute rollup kept as the server keeps it). Each benchmark is one 30-day report in
/// 15-minute intervals, read with <see cref="StatisticsStore"/> into a <see cref="StatisticsAccumulator"/> and built
/// (whole 15-minute buckets from the queue visit rollup of schema 7, as the server reads them).
/// The database is made once under the temp folder (<c>telephony-stats-bench.db</c>, or <c>TELEPHONY_STATS_BENCH_DB</c>;
/// reused when present).
/// </summary>
[MemoryDiagnoser]
public class StatisticsDatabaseBenchmarks
{
    private const int Calls = 1_000_000;
    private const int Agents = 50;
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private static readonly DateTimeOffset From = new(2025, 10, 10, 0, 0, 0, TimeSpan.FromHours(2));
    private static readonly DateTimeOffset To = new(2025, 11, 9, 0, 0, 0, TimeSpan.FromHours(1));

    private Database _database = null!;

    [GlobalSetup]
    public void Setup()
    {
        // TELEPHONY_STATS_BENCH_DB: another file (a checkout whose schema differs from another's must not share one).
        string path = Environment.GetEnvironmentVariable("TELEPHONY_STATS_BENCH_DB") is { Length: > 0 } own
            ? own
            : Path.Combine(Path.GetTempPath(), "telephony-stats-bench.db");
        _database = new Database(path);
        if (!File.Exists(path))
        {
            // Written before the queue visit rollup exists (version 6), then migrated: the migration fills the rollup
            // in one pass, as it does for a server's existing database (a million inserts through its triggers would
            // recount a bucket each).
            _database.MigrateAsync(6).GetAwaiter().GetResult();
            Generate(_database);
        }

        _database.MigrateAsync().GetAwaiter().GetResult();
    }

    /// <summary><c>GET /api/stats/queues</c> for 30 days, 15 m: 1 million visits.</summary>
    [Benchmark]
    public async Task<StatisticsReport> QueueReport30Days15m()
    {
        StatisticsAccumulator accumulator = NewAccumulator();
        await new StatisticsStore(_database).ReadQueueVisitsAsync(accumulator, From, To);
        return accumulator.Build();
    }

    /// <summary><c>GET /api/stats/agents</c> for 30 days, 15 m: the answered visits (handled) and the agent time.</summary>
    [Benchmark]
    public async Task<StatisticsReport> AgentReport30Days15m()
    {
        StatisticsAccumulator accumulator = NewAccumulator();
        var store = new StatisticsStore(_database);
        await store.ReadQueueVisitsAsync(accumulator, From, To, answeredOnly: true);
        await store.ReadAgentTimeAsync(accumulator, From.AddMinutes(7), To, To); // an unaligned start: raw history too
        return accumulator.Build();
    }

    private static StatisticsAccumulator NewAccumulator() => new(new StatisticsOptions
    {
        TimeZone = Berlin,
        Interval = IntervalLength.Minutes15,
        From = From,
        To = To,
        Now = To,
    });

    /// <summary>Visits and agent histories written directly (one transaction, prepared statements), in the shapes
    /// the stores keep: visits with outcome, answer, talk and wrap-up; each agent cycling Available → Ringing → OnCall
    /// → WrapUp with a pause now and then, rolled up per 15-minute bucket.</summary>
    private static void Generate(Database database)
    {
        var random = new Random(42);
        using var connection = new SqliteConnection(database.ConnectionString);
        connection.Open();
        using SqliteTransaction transaction = connection.BeginTransaction();
        long from = From.ToUnixTimeMilliseconds(), range = To.ToUnixTimeMilliseconds() - from;
        using (SqliteCommand visit = connection.CreateCommand())
        {
            visit.Transaction = transaction;
            visit.CommandText =
                """
                INSERT INTO queue_visits (call_id, queue, entered_at, outcome, outcome_at, agent, talk_ms, wrap_up_ms)
                VALUES ($id, $queue, $entered, $outcome, $at, $agent, $talk, $wrap);
                """;
            string[] outcomes = ["Answered", "Answered", "Answered", "Answered", "Answered", "Answered", "Abandoned", "Overflowed", "Other"];
            foreach (string name in new[] { "$id", "$queue", "$entered", "$outcome", "$at", "$agent", "$talk", "$wrap" })
            {
                visit.Parameters.Add(new SqliteParameter(name, null));
            }

            for (var i = 0; i < Calls; i++)
            {
                long entered = from + (range * i / Calls);
                string outcome = outcomes[random.Next(outcomes.Length)];
                bool answered = outcome == "Answered";
                visit.Parameters[0].Value = "call-" + i.ToString(CultureInfo.InvariantCulture);
                visit.Parameters[1].Value = "queue-" + random.Next(10).ToString(CultureInfo.InvariantCulture);
                visit.Parameters[2].Value = entered;
                visit.Parameters[3].Value = outcome;
                visit.Parameters[4].Value = entered + random.Next(0, 300_000);
                visit.Parameters[5].Value = answered ? "agent-" + random.Next(Agents).ToString(CultureInfo.InvariantCulture) : DBNull.Value;
                visit.Parameters[6].Value = answered ? random.Next(30_000, 600_000) : DBNull.Value;
                visit.Parameters[7].Value = answered ? 10_000 : DBNull.Value;
                visit.ExecuteNonQuery();
            }
        }

        using SqliteCommand state = connection.CreateCommand();
        state.Transaction = transaction;
        state.CommandText = "INSERT INTO agent_states (agent, state, reason, occurred_at) VALUES ($agent, $state, $reason, $at);";
        foreach (string name in new[] { "$agent", "$state", "$reason", "$at" })
        {
            state.Parameters.Add(new SqliteParameter(name, null));
        }

        var rollup = new Dictionary<(long Bucket, string Agent, string State, string Reason), long>();
        string[] cycle = ["Available", "Ringing", "OnCall", "WrapUp"];
        for (var a = 0; a < Agents; a++)
        {
            string agent = "agent-" + a.ToString(CultureInfo.InvariantCulture);
            long t = from - 3_600_000;
            var step = 0;
            string current = "Available";
            string reason = "";
            while (t < from + range)
            {
                state.Parameters[0].Value = agent;
                state.Parameters[1].Value = current;
                state.Parameters[2].Value = current == "Paused" ? reason : DBNull.Value;
                state.Parameters[3].Value = t;
                state.ExecuteNonQuery();
                long length = current switch
                {
                    "Ringing" => random.Next(2_000, 15_000),
                    "OnCall" => random.Next(30_000, 600_000),
                    "WrapUp" => 10_000,
                    "Paused" => random.Next(300_000, 1_800_000),
                    _ => random.Next(1_000, 60_000),
                };
                for (long s = t; s < t + length;)
                {
                    long bucket = s - (s % AgentStateStore.BucketMs);
                    long e = Math.Min(t + length, bucket + AgentStateStore.BucketMs);
                    var key = (bucket, agent, current, current == "Paused" ? reason : "");
                    rollup[key] = rollup.GetValueOrDefault(key) + (e - s);
                    s = e;
                }

                t += length;
                bool pause = current == "WrapUp" && random.Next(40) == 0;
                step = pause ? 0 : (step + 1) % cycle.Length;
                reason = random.Next(2) == 0 ? "lunch" : "training";
                current = pause ? "Paused" : cycle[step];
            }

            using SqliteCommand open = connection.CreateCommand();
            open.Transaction = transaction;
            open.CommandText = "INSERT INTO agent_current (agent, state, reason, since) VALUES ($agent, $state, NULL, $at);";
            open.Parameters.AddWithValue("$agent", agent);
            open.Parameters.AddWithValue("$state", "LoggedOut");
            open.Parameters.AddWithValue("$at", t);
            open.ExecuteNonQuery();
            state.Parameters[0].Value = agent;
            state.Parameters[1].Value = "LoggedOut";
            state.Parameters[2].Value = DBNull.Value;
            state.Parameters[3].Value = t;
            state.ExecuteNonQuery();
        }

        using SqliteCommand time = connection.CreateCommand();
        time.Transaction = transaction;
        time.CommandText = "INSERT INTO agent_state_time (bucket, agent, state, reason, ms) VALUES ($bucket, $agent, $state, $reason, $ms);";
        foreach (string name in new[] { "$bucket", "$agent", "$state", "$reason", "$ms" })
        {
            time.Parameters.Add(new SqliteParameter(name, null));
        }

        foreach (var ((bucket, agent, st, r), ms) in rollup)
        {
            time.Parameters[0].Value = bucket;
            time.Parameters[1].Value = agent;
            time.Parameters[2].Value = st;
            time.Parameters[3].Value = r;
            time.Parameters[4].Value = ms;
            time.ExecuteNonQuery();
        }

        transaction.Commit();
        using SqliteCommand analyze = connection.CreateCommand();
        analyze.CommandText = "ANALYZE;";
        analyze.ExecuteNonQuery();
    }
}
