namespace Ticketing.Core.Backups;

/// <summary>Plain-text header of a .tbak file (authenticated, not encrypted).</summary>
public sealed record BackupHeader(
    string Provider,
    DateTimeOffset CreatedAtUtc,
    string ContentSha256,
    long ContentLength)
{
    public int FormatVersion { get; init; } = BackupFileFormat.CurrentVersion;
}

/// <summary>A backup file found in the backup directory.</summary>
public sealed record BackupInfo(DateTimeOffset CreatedAtUtc, string Path, long SizeBytes);

/// <summary>Known database providers.</summary>
public static class BackupProviders
{
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    /// <summary>Maps "Sqlite"/"Postgres" (also "PostgreSQL", "Npgsql", any case) to the canonical name.</summary>
    public static string Normalize(string provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return provider.Trim().ToLowerInvariant() switch
        {
            "sqlite" or "microsoft.data.sqlite" => Sqlite,
            "postgres" or "postgresql" or "npgsql" => Postgres,
            _ => throw new BackupException($"Unsupported database provider '{provider}' (expected Sqlite or Postgres)."),
        };
    }
}
