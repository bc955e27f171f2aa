namespace Ticketing.Core.Backups;

/// <summary>Thread-safe record of the last backup outcome, meant to be registered as a singleton and read by a health check.</summary>
public sealed class BackupStatus
{
    private readonly Lock _gate = new();
    private DateTimeOffset? _lastSuccessUtc;
    private DateTimeOffset? _lastFailureUtc;
    private string? _lastError;
    private string? _lastBackupPath;
    private bool _lastAttemptFailed;
    private readonly Dictionary<string, DateTimeOffset> _verified = new(StringComparer.Ordinal);

    public DateTimeOffset? LastSuccessUtc { get { lock (_gate) return _lastSuccessUtc; } }
    public DateTimeOffset? LastFailureUtc { get { lock (_gate) return _lastFailureUtc; } }
    public string? LastError { get { lock (_gate) return _lastError; } }
    public string? LastBackupPath { get { lock (_gate) return _lastBackupPath; } }

    /// <summary>True when the most recent attempt (backup or its verification) failed.</summary>
    public bool IsFailing
    {
        get
        {
            lock (_gate)
                return _lastAttemptFailed;
        }
    }

    public void RecordSuccess(DateTimeOffset atUtc, string path)
    {
        lock (_gate)
        {
            _lastSuccessUtc = atUtc;
            _lastBackupPath = path;
            _lastAttemptFailed = false;
        }
    }

    public void RecordFailure(DateTimeOffset atUtc, string error)
    {
        lock (_gate)
        {
            _lastFailureUtc = atUtc;
            _lastError = error;
            _lastAttemptFailed = true;
        }
    }

    /// <summary>Remembers that the file at <paramref name="path"/> was decrypted and checked successfully.</summary>
    public void RecordVerified(string path, DateTimeOffset atUtc)
    {
        lock (_gate)
            _verified[Path.GetFileName(path)] = atUtc;
    }

    /// <summary>When the file was last verified by this process, or null when it was not (yet).</summary>
    public DateTimeOffset? VerifiedAt(string path)
    {
        lock (_gate)
            return _verified.TryGetValue(Path.GetFileName(path), out var at) ? at : null;
    }
}
