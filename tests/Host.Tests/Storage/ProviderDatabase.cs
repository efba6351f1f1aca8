using Telephony.Recording.Storage;
using Telephony.Recording.Tests.Storage;

namespace Telephony.Host.Tests.Storage;

/// <summary>A migrated database of the Host store tests: a SQLite file in <paramref name="folder"/>, or a fresh schema of
/// the PostgreSQL server named by <c>TELEPHONY_TEST_POSTGRES</c> (dropped on dispose).</summary>
internal sealed class ProviderDatabase(Database database, string? schema) : IDisposable
{
    public Database Database { get; } = database;

    public static async Task<ProviderDatabase> CreateAsync(StorageProvider provider, string folder)
    {
        string? schema = provider == StorageProvider.Postgres ? await TestPostgres.CreateSchemaAsync() : null;
        Database database = schema is null
            ? new Database(Path.Combine(folder, "telephony.db"))
            : Database.ForPostgres(TestPostgres.ConnectionStringFor(schema));
        await database.MigrateAsync();
        return new ProviderDatabase(database, schema);
    }

    public void Dispose()
    {
        Database.ClearPool();
        if (schema is not null)
        {
            TestPostgres.DropSchema(schema);
        }
    }
}
