namespace Telephony.Recording.Storage;

/// <summary>One schema step: an embedded <c>Storage/Schema/NNN_name.sql</c> file, applied once, in version order.</summary>
/// <param name="Version">The NNN prefix.</param>
/// <param name="Name">The rest of the file name.</param>
/// <param name="Sql">Script text.</param>
public sealed record Migration(int Version, string Name, string Sql);
