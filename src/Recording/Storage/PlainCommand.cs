using System.Data;
using System.Data.Common;
using System.Globalization;

namespace Telephony.Recording.Storage;

/// <summary>
/// Plain commands for the statements every call runs (its record opened, answered and closed, its events, its
/// recording), with parameter names that carry the placeholder's '@'. Dapper names parameters without it, and
/// Microsoft.Data.Sqlite then tries the bare name and ':', '@' in turn for every parameter of every execution (a string
/// concatenation and a UTF-8 copy each): about 7 % of what a call set up allocated. Npgsql takes the same names.
/// </summary>
internal static class PlainCommand
{
    /// <summary>A parameter: its name with the '@', its type (so that a null is typed as Dapper types it), its value.</summary>
    public readonly record struct Arg(string Name, DbType Type, object? Value);

    /// <summary>Runs <paramref name="sql"/>; returns the rows affected.</summary>
    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, params Arg[] args)
    {
        await using DbCommand command = Create(connection, transaction, sql, args);
        return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="sql"/> on <paramref name="write"/>'s connection (a batch's cached command when it is one's).</summary>
    public static async Task<int> ExecuteAsync(WriteLease write, string sql, params Arg[] args)
    {
        if (write.Batch is { } batch)
        {
            return await batch.Command(sql, args).ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        return await ExecuteAsync(write.Connection, write.Transaction, sql, args).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="sql"/>; returns the first column of the first row as a 64-bit integer.</summary>
    public static async Task<long> ExecuteInt64Async(DbConnection connection, DbTransaction? transaction, string sql, params Arg[] args)
    {
        await using DbCommand command = Create(connection, transaction, sql, args);
        object? value = await command.ExecuteScalarAsync().ConfigureAwait(false);
        return Convert.ToInt64(value, CultureInfo.InvariantCulture);
    }

    /// <summary>As <see cref="ExecuteInt64Async(DbConnection, DbTransaction?, string, Arg[])"/> on <paramref name="write"/>'s connection.</summary>
    public static async Task<long> ExecuteInt64Async(WriteLease write, string sql, params Arg[] args)
    {
        if (write.Batch is { } batch)
        {
            object? value = await batch.Command(sql, args).ExecuteScalarAsync().ConfigureAwait(false);
            return Convert.ToInt64(value, CultureInfo.InvariantCulture);
        }

        return await ExecuteInt64Async(write.Connection, write.Transaction, sql, args).ConfigureAwait(false);
    }

    public static Arg Text(string name, string? value) => new(name, DbType.String, value);

    public static Arg Int64(string name, long? value) => new(name, DbType.Int64, value);

    internal static DbCommand Create(DbConnection connection, DbTransaction? transaction, string sql, Arg[] args)
    {
        DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        AddParameters(command, args);
        return command;
    }

    internal static void AddParameters(DbCommand command, Arg[] args)
    {
        foreach (var arg in args)
        {
            DbParameter parameter = command.CreateParameter();
            parameter.ParameterName = arg.Name;
            parameter.DbType = arg.Type;
            parameter.Value = arg.Value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
    }

    /// <summary>
    /// Sets the values of <paramref name="command"/>'s parameters when they are <paramref name="args"/>' names in the same
    /// order; false otherwise (some values may then be set already: the caller rebuilds the parameters).
    /// </summary>
    internal static bool TryRebind(DbCommand command, Arg[] args)
    {
        DbParameterCollection parameters = command.Parameters;
        if (parameters.Count != args.Length)
        {
            return false;
        }

        for (int i = 0; i < args.Length; i++)
        {
            DbParameter parameter = parameters[i];
            if (!string.Equals(parameter.ParameterName, args[i].Name, StringComparison.Ordinal))
            {
                return false;
            }

            parameter.DbType = args[i].Type;
            parameter.Value = args[i].Value ?? DBNull.Value;
        }

        return true;
    }
}
