using System.Data.Common;
using Dapper;
using Telephony.Recording.Storage;

namespace Telephony.Recording.Tests.Storage;

/// <summary>The catalog queries the schema tests need, per engine: tables and our own indexes (ix_*) of the database.</summary>
internal static class SchemaQueries
{
    public static async Task<List<string>> TablesAsync(DbConnection connection, StorageProvider provider) =>
        (await connection.QueryAsync<string>(provider == StorageProvider.Postgres
            ? "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1;"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name;")).AsList();

    public static async Task<List<string>> IndexesAsync(DbConnection connection, StorageProvider provider, string table) =>
        (await connection.QueryAsync<string>(provider == StorageProvider.Postgres
            ? "SELECT indexname::text FROM pg_indexes WHERE schemaname = current_schema() AND tablename = @table AND indexname LIKE 'ix%' ORDER BY 1;"
            : "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = @table ORDER BY name;", new { table })).AsList();
}
