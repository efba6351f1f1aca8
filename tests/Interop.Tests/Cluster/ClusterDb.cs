using Npgsql;

namespace Telephony.Interop.Tests.Cluster;

/// <summary>Reads of the cluster's shared PostgreSQL for assertions: a scalar, a row, and a poll until one is there.</summary>
internal static class ClusterDb
{
    /// <summary>Polls <paramref name="probe"/> every 100 ms until it returns a value (tables not migrated yet count as
    /// none) or <paramref name="timeout"/> passes (then default).</summary>
    public static async Task<T?> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await probe() is { } found)
                {
                    return found;
                }
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                // Not migrated yet.
            }
            if (DateTime.UtcNow >= until)
            {
                return default;
            }
            await Task.Delay(100);
        }
    }

    /// <summary>The first column of the first row, or default (<c>@id</c> bound to <paramref name="id"/> when given).</summary>
    public static async Task<T?> ScalarAsync<T>(NpgsqlDataSource db, string sql, string? id = null)
    {
        await using var command = db.CreateCommand(sql);
        if (id is not null)
        {
            command.Parameters.AddWithValue("id", id);
        }
        return await command.ExecuteScalarAsync() is T value ? value : default;
    }

    /// <summary>The first row, or null.</summary>
    public static async Task<object[]?> RowAsync(NpgsqlDataSource db, string sql, string? id = null)
    {
        await using var command = db.CreateCommand(sql);
        if (id is not null)
        {
            command.Parameters.AddWithValue("id", id);
        }
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }
        var row = new object[reader.FieldCount];
        reader.GetValues(row);
        return row;
    }
}
