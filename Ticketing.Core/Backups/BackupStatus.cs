namespace Ticketing.Core.Backups;

/// <summary>Thread-safe record of the last backup outcome, meant to be registered as a singleton and read by a health check.</summary>
public sealed class BackupStatus
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastSuccessUtc;
    private DateTimeOffset? _lastFailureUtc;
    private string? _lastError;
    private string? _lastBackupPath;

    public DateTimeOffset? LastSuccessUtc { get { lock (_gate) return _lastSuccessUtc; } }
    public DateTimeOffset? LastFailureUtc { get { lock (_gate) return _lastFailureUtc; } }
    public string? LastError { get { lock (_gate) return _lastError; } }
    public string? LastBackupPath { get { lock (_gate) return _lastBackupPath; } }

    /// <summary>True when the most recent attempt failed (or there was never a success but there was a failure).</summary>
    public bool IsFailing
    {
        get
        {
            lock (_gate)
                return _lastFailureUtc is { } f && (_lastSuccessUtc is not { } s || f > s);
        }
    }

    public void RecordSuccess(DateTimeOffset atUtc, string path)
    {
        lock (_gate)
        {
            _lastSuccessUtc = atUtc;
            _lastBackupPath = path;
        }
    }

    public void RecordFailure(DateTimeOffset atUtc, string error)
    {
        lock (_gate)
        {
            _lastFailureUtc = atUtc;
            _lastError = error;
        }
    }
}
