namespace Ticketing.Core.Backups;

/// <summary>A backup, verification or restore was refused or failed. The message is safe to show to an operator.</summary>
public sealed class BackupException : Exception
{
    public BackupException(string message) : base(message) { }

    public BackupException(string message, Exception innerException) : base(message, innerException) { }
}
