using System.Data.Common;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using Telephony.Recording.Storage;

namespace Telephony.Recording.Tests.Storage;

/// <summary>
/// The rollup as schema 8's triggers made it: the view and the grouped recount of
/// <c>008_queue_visit_rollup.sql</c>, taken from the shipped migration text and run over every visit into temp tables.
/// The delta-kept rollup (<see cref="QueueVisitRollup"/>) must equal it row for row.
/// </summary>
internal static partial class RollupOracle
{
    /// <summary>Rows of <c>queue_visit_rollup</c> and <c>agent_handled_rollup</c> that differ from the schema 8 recount
    /// (as text, for the assertion message); empty when they agree.</summary>
    public static async Task<IReadOnlyList<string>> DifferencesAsync(Database database)
    {
        string sql = Database.Migrations.Single(m => m.Version == 8).Sql;
        string view = ViewDefinition().Match(sql).Value.Replace("CREATE VIEW", "CREATE TEMP VIEW", StringComparison.Ordinal);
        string fill = QueueFill().Match(sql).Value.Replace("INSERT INTO queue_visit_rollup", "INSERT INTO temp.expected_rollup", StringComparison.Ordinal);
        string agents = AgentFill().Match(sql).Value.Replace("INSERT INTO agent_handled_rollup", "INSERT INTO temp.expected_handled", StringComparison.Ordinal);
        Assert.NotEmpty(view);
        Assert.NotEmpty(fill);
        Assert.NotEmpty(agents);

        await using var connection = new SqliteConnection(database.ConnectionString + ";Pooling=False");
        await connection.OpenAsync();
        await connection.ExecuteAsync(
            $"""
            {view}
            CREATE TEMP TABLE expected_rollup AS SELECT * FROM queue_visit_rollup WHERE 0;
            CREATE TEMP TABLE expected_handled AS SELECT * FROM agent_handled_rollup WHERE 0;
            {fill}
            {agents}
            """);
        var differences = new List<string>();
        differences.AddRange((await connection.QueryAsync<string>(
            """
            SELECT 'missing ' || bucket || ' ' || queue || ' offered ' || offered || ' longest ' || longest_wait_ms
            FROM (SELECT * FROM temp.expected_rollup EXCEPT SELECT * FROM main.queue_visit_rollup)
            UNION ALL
            SELECT 'extra ' || bucket || ' ' || queue || ' offered ' || offered || ' longest ' || longest_wait_ms
            FROM (SELECT * FROM main.queue_visit_rollup EXCEPT SELECT * FROM temp.expected_rollup)
            UNION ALL
            SELECT 'missing handled ' || bucket || ' ' || agent || ' ' || handled
            FROM (SELECT * FROM temp.expected_handled EXCEPT SELECT * FROM main.agent_handled_rollup)
            UNION ALL
            SELECT 'extra handled ' || bucket || ' ' || agent || ' ' || handled
            FROM (SELECT * FROM main.agent_handled_rollup EXCEPT SELECT * FROM temp.expected_handled);
            """)).AsList());
        return differences;
    }

    /// <summary>Asserts the rollup equals the schema 8 recount and holds <paramref name="minimumRows"/> rows or more.</summary>
    public static async Task AssertExactAsync(Database database, int minimumRows = 1)
    {
        Assert.Empty(await DifferencesAsync(database));
        await using DbConnection connection = await database.OpenAsync();
        Assert.True(await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM queue_visit_rollup;") >= minimumRows);
    }

    [GeneratedRegex(@"CREATE VIEW queue_visit_facts AS.*?FROM queue_visits\);", RegexOptions.Singleline)]
    private static partial Regex ViewDefinition();

    [GeneratedRegex(@"INSERT INTO queue_visit_rollup .*?GROUP BY 1, v\.queue;", RegexOptions.Singleline)]
    private static partial Regex QueueFill();

    [GeneratedRegex(@"INSERT INTO agent_handled_rollup .*?GROUP BY 1, v\.agent;", RegexOptions.Singleline)]
    private static partial Regex AgentFill();
}
