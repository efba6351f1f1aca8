using System.Security.Cryptography;
using System.Text;
using Dapper;
using System.Data.Common;

namespace Telephony.Recording.Storage;

/// <summary>
/// The saved versions of admin-edited configuration files (<c>config_versions</c>): <see cref="AddAsync"/> keeps a new
/// version with who and when, <see cref="ListAsync"/> lists them newest first (without content), <see cref="GetAsync"/>
/// returns one with its content. Versions are never changed or deleted.
/// </summary>
public sealed class ConfigVersionStore(Database database)
{
    private const string Columns =
        "id AS Id, file AS File, version AS Version, saved_at AS SavedAt, saved_by AS SavedBy, comment AS Comment, sha256 AS Sha256";

    /// <summary>Lower-case hex SHA-256 of <paramref name="content"/>'s UTF-8 bytes.</summary>
    public static string Hash(string content) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content ?? "")));

    /// <summary>Keeps <paramref name="content"/> as the next version of <paramref name="file"/>; returns it (without content).</summary>
    public async Task<ConfigVersion> AddAsync(string file, string content, string savedBy, string? comment, DateTimeOffset savedAt,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        // Two nodes (or two admins) saving the same file at once would both read the same max(version) and one would
        // fail on UNIQUE (file, version).
        await database.Dialect.LockKeyAsync(connection, transaction, "config_versions:" + file, cancellationToken).ConfigureAwait(false);
        int version = await connection.ExecuteScalarAsync<int>(
            "SELECT coalesce(max(version), 0) + 1 FROM config_versions WHERE file = @File;", new { File = file }, transaction)
            .ConfigureAwait(false);
        long id = await connection.ExecuteScalarAsync<long>(
            """
            INSERT INTO config_versions (file, version, saved_at, saved_by, comment, sha256, content)
            VALUES (@File, @Version, @SavedAt, @SavedBy, @Comment, @Sha256, @Content) RETURNING id;
            """,
            new
            {
                File = file,
                Version = version,
                SavedAt = UnixTimeHandlers.ToDb(savedAt),
                SavedBy = savedBy,
                Comment = comment,
                Sha256 = Hash(content),
                Content = content,
            }, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new ConfigVersion
        {
            Id = id, File = file, Version = version, SavedAt = savedAt, SavedBy = savedBy, Comment = comment, Sha256 = Hash(content),
        };
    }

    /// <summary>The versions of <paramref name="file"/>, newest first, without their content.</summary>
    public async Task<IReadOnlyList<ConfigVersion>> ListAsync(string file, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return (await connection.QueryAsync<ConfigVersion>(
            $"SELECT {Columns} FROM config_versions WHERE file = @File ORDER BY version DESC;", new { File = file })
            .ConfigureAwait(false)).AsList();
    }

    /// <summary>The newest version of <paramref name="file"/> with its content, or null when none was kept.</summary>
    public async Task<ConfigVersion?> LatestAsync(string file, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<ConfigVersion>(
            $"SELECT {Columns}, content AS Content FROM config_versions WHERE file = @File ORDER BY version DESC LIMIT 1;",
            new { File = file }).ConfigureAwait(false);
    }

    /// <summary>Version <paramref name="version"/> of <paramref name="file"/> with its content, or null.</summary>
    public async Task<ConfigVersion?> GetAsync(string file, int version, CancellationToken cancellationToken = default)
    {
        await using DbConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleOrDefaultAsync<ConfigVersion>(
            $"SELECT {Columns}, content AS Content FROM config_versions WHERE file = @File AND version = @Version;",
            new { File = file, Version = version }).ConfigureAwait(false);
    }
}
