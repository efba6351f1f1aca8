using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Telephony.Recording.Statistics;
using Telephony.Recording.Storage;

namespace Telephony.Recording.Tests.Storage;

/// <summary><c>agent_time_rollup</c> (schema 10): the working-state rows of <c>agent_state_time</c> pivoted per agent and
/// bucket, kept by <see cref="AgentStateStore"/> and filled by the migration from an older database.</summary>
public class AgentTimeRollupTests
{
    private const string Grouped =
        """
        SELECT bucket, agent,
               sum(CASE state WHEN 'Available' THEN ms ELSE 0 END) AS a, sum(CASE state WHEN 'Ringing' THEN ms ELSE 0 END) AS r,
               sum(CASE state WHEN 'OnCall' THEN ms ELSE 0 END) AS o, sum(CASE state WHEN 'WrapUp' THEN ms ELSE 0 END) AS w
        FROM agent_state_time WHERE state IN ('Available', 'Ringing', 'OnCall', 'WrapUp') GROUP BY bucket, agent
        """;

    private const string Pivot = "SELECT bucket, agent, available_ms AS a, ringing_ms AS r, on_call_ms AS o, wrap_up_ms AS w FROM agent_time_rollup";

    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 8, 50, 0, TimeSpan.Zero);

    [Fact]
    public async Task State_changes_across_bucket_edges_keep_the_pivot_equal_to_the_state_time_rows()
    {
        using var db = await TestDatabase.CreateAsync();
        var store = new AgentStateStore(db.Database);
        var random = new Random(3);
        AgentActivity[] states = [AgentActivity.Available, AgentActivity.Ringing, AgentActivity.OnCall, AgentActivity.WrapUp, AgentActivity.Paused];
        DateTimeOffset at = T0;
        for (int i = 0; i < 200; i++)
        {
            string agent = "10" + random.Next(1, 4);
            AgentActivity state = states[random.Next(states.Length)];
            await store.AppendAsync(agent, state, state == AgentActivity.Paused ? "lunch" : null, at);
            at = at.AddSeconds(random.Next(1, 1200));
        }

        await AssertPivotAsync(db.Database);
    }

    [Fact]
    public async Task The_migration_fills_the_pivot_from_an_older_database()
    {
        using var db = await TestDatabase.CreateAsync(migrate: false);
        await db.Database.MigrateAsync(9);
        await using (DbConnection connection = await db.Database.OpenAsync())
        {
            await connection.ExecuteAsync(
                """
                INSERT INTO agent_state_time (bucket, agent, state, reason, ms) VALUES
                    (0, '1001', 'Available', '', 1000), (0, '1001', 'OnCall', '', 5000), (0, '1001', 'Paused', 'lunch', 7000),
                    (900000, '1001', 'WrapUp', '', 3000), (0, '1002', 'Ringing', '', 2000), (0, '1003', 'Paused', '', 9000);
                """);
        }

        await db.Database.MigrateAsync();
        await AssertPivotAsync(db.Database);
    }

    private static async Task AssertPivotAsync(Database database)
    {
        await using DbConnection connection = await database.OpenAsync();
        var expected = (await connection.QueryAsync<(long, string, long, long, long, long)>(Grouped + " ORDER BY 1, 2;")).AsList();
        var actual = (await connection.QueryAsync<(long, string, long, long, long, long)>(Pivot + " ORDER BY 1, 2;")).AsList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
    }
}
