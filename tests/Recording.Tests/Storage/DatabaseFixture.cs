using Microsoft.Data.Sqlite;
using Telephony.Recording.Storage;

namespace Telephony.Recording.Tests.Storage;

/// <summary>A migrated database in a temp folder, one per test.</summary>
internal sealed class TestDatabase : IDisposable
{
    private TestDatabase(TempFolder folder, Database database)
    {
        Folder = folder;
        Database = database;
    }

    public TempFolder Folder { get; }

    public Database Database { get; }

    public static async Task<TestDatabase> CreateAsync(bool migrate = true)
    {
        var folder = new TempFolder();
        var database = new Database(folder.File("telephony.db"));
        if (migrate)
        {
            await database.MigrateAsync();
        }

        return new TestDatabase(folder, database);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Folder.Dispose();
    }
}
