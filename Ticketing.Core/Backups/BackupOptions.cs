namespace Ticketing.Core.Backups;

/// <summary>Settings bound from the configuration section "Backups".</summary>
public sealed class BackupOptions
{
    public const string SectionName = "Backups";

    /// <summary>Quartz cron expression; default is hourly at minute 0.</summary>
    public string Schedule { get; set; } = "0 0 * * * ?";

    /// <summary>Folder for the .tbak files. Relative paths are resolved against the current directory.</summary>
    public string Directory { get; set; } = "App_Data/backups";

    /// <summary>Base64 of 32 random bytes (AES-256 key). Backups are refused without it.</summary>
    public string? EncryptionKey { get; set; }

    /// <summary>Number of most recent backups always kept (plus the newest of each UTC day for 30 days).</summary>
    public int Keep { get; set; } = 24;

    /// <summary>Optional folder holding pg_dump/pg_restore. When null, PATH and /usr/lib/postgresql/*/bin are searched.</summary>
    public string? PostgresBinDirectory { get; set; }
}
