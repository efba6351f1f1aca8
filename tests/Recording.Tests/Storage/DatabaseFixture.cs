using Npgsql;
using Telephony.Recording.Storage;

namespace Telephony.Recording.Tests.Storage;

/// <summary>A migrated database, one per test: a SQLite file in a temp folder, or a fresh schema of the PostgreSQL server
/// named by <c>TELEPHONY_TEST_POSTGRES</c> (dropped at the end), so runs never collide.</summary>
internal sealed class TestDatabase : IDisposable
{
    private readonly string? _schema;

    private TestDatabase(TempFolder folder, Database database, string? schema)
    {
        Folder = folder;
        Database = database;
        _schema = schema;
    }

    public TempFolder Folder { get; }

    public Database Database { get; }

    public static Task<TestDatabase> CreateAsync(bool migrate = true) => CreateAsync(StorageProvider.Sqlite, migrate);

    public static async Task<TestDatabase> CreateAsync(StorageProvider provider, bool migrate = true)
    {
        var folder = new TempFolder();
        Database database;
        string? schema = null;
        if (provider == StorageProvider.Postgres)
        {
            schema = await TestPostgres.CreateSchemaAsync();
            database = Database.ForPostgres(TestPostgres.ConnectionStringFor(schema));
        }
        else
        {
            database = new Database(folder.File("telephony.db"));
        }

        if (migrate)
        {
            await database.MigrateAsync();
        }

        return new TestDatabase(folder, database, schema);
    }

    public void Dispose()
    {
        Database.ClearPool();
        if (_schema is not null)
        {
            TestPostgres.DropSchema(_schema);
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Folder.Dispose();
    }
}
