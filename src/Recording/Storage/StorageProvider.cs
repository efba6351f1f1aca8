namespace Telephony.Recording.Storage;

/// <summary>The database engine behind the stores (<c>storage.provider</c>): embedded SQLite (the default) or a shared
/// PostgreSQL server.</summary>
public enum StorageProvider
{
    /// <summary>One SQLite file (WAL), no server to run.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server reached with Npgsql; several nodes can share it.</summary>
    Postgres,
}
