using System.Globalization;
using Npgsql;

namespace Telephony.Recording.Tests.Storage;

/// <summary>
/// The PostgreSQL server of the storage tests: <c>TELEPHONY_TEST_POSTGRES</c> holds its connection string (scripts/test.sh
/// starts a throwaway server on loopback and sets it). Each test gets its own schema.
/// </summary>
internal static class TestPostgres
{
    public const string Variable = "TELEPHONY_TEST_POSTGRES";

    public const string SkipReason =
        "PostgreSQL storage tests need a server: set TELEPHONY_TEST_POSTGRES to a connection string " +
        "(scripts/test.sh installs postgresql and starts a throwaway server on 127.0.0.1)";

    public static string? ConnectionString => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static string ConnectionStringFor(string schema) =>
        new NpgsqlConnectionStringBuilder(Required()) { SearchPath = schema }.ConnectionString;

    public static async Task<string> CreateSchemaAsync()
    {
        string schema = "t_" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        await using var connection = new NpgsqlConnection(Required());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema};", connection);
        await command.ExecuteNonQueryAsync();
        return schema;
    }

    public static void DropSchema(string schema)
    {
        using var connection = new NpgsqlConnection(Required());
        connection.Open();
        using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {schema} CASCADE;", connection);
        command.ExecuteNonQuery();
    }

    private static string Required() => ConnectionString ?? throw new InvalidOperationException(SkipReason);
}
