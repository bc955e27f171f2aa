using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ticketing.Core.Backups;

/// <summary>
/// Creates, lists, verifies and restores encrypted backups of the payment database (SQLite or PostgreSQL).
/// Has no EF Core dependency: it works from the provider name and the connection string.
/// </summary>
public sealed class BackupService
{
    private readonly BackupOptions _options;
    private readonly string _provider;
    private readonly string _connectionString;
    private readonly TimeProvider _time;
    private readonly ILogger<BackupService> _logger;
    private readonly PostgresTools _pgTools;

    public BackupService(
        BackupOptions options,
        string provider,
        string connectionString,
        TimeProvider timeProvider,
        ILogger<BackupService> logger,
        BackupStatus? status = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _options = options;
        _provider = BackupProviders.Normalize(provider);
        _connectionString = connectionString;
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        Status = status ?? new BackupStatus();
        _pgTools = new PostgresTools(options.PostgresBinDirectory);
    }

    public string Provider => _provider;

    public BackupStatus Status { get; }

    /// <summary>The Quartz cron expression of the scheduled backups.</summary>
    public string Schedule => _options.Schedule;

    /// <summary>Number of recent backups kept (plus one a day for 30 days).</summary>
    public int Keep => _options.Keep;

    /// <summary>False when no encryption key is configured: every backup, verification and restore is refused.</summary>
    public bool HasEncryptionKey => !string.IsNullOrWhiteSpace(_options.EncryptionKey);

    /// <summary>Absolute path of the backup directory.</summary>
    public string BackupDirectory => Path.GetFullPath(string.IsNullOrWhiteSpace(_options.Directory) ? "App_Data/backups" : _options.Directory);

    /// <summary>Takes a consistent snapshot, encrypts it into a new .tbak file (atomically) and applies retention.</summary>
    public Task<BackupInfo> CreateAsync(CancellationToken cancellationToken) => CreateCoreAsync(verify: false, cancellationToken);

    /// <summary>
    /// What the schedule and the "Back up now" button run: creates a backup, then decrypts and checks it right away.
    /// The outcome (success only once verified, or the error) is recorded in <see cref="Status"/>.
    /// </summary>
    public Task<BackupInfo> CreateVerifiedAsync(CancellationToken cancellationToken) => CreateCoreAsync(verify: true, cancellationToken);

    private async Task<BackupInfo> CreateCoreAsync(bool verify, CancellationToken cancellationToken)
    {
        try
        {
            byte[] key = BackupFileFormat.ParseKey(_options.EncryptionKey);
            string dir = EnsureDirectory();
            DateTimeOffset now = _time.GetUtcNow();

            string finalPath = NextFreePath(dir, now);
            string snapshotPath = TempPath(dir, "snapshot");
            string tmpPath = finalPath + ".tmp";
            try
            {
                FileUtil.CreatePrivateEmptyFile(snapshotPath);
                if (_provider == BackupProviders.Sqlite)
                    SnapshotSqlite(snapshotPath);
                else
                    await SnapshotPostgresAsync(snapshotPath, cancellationToken).ConfigureAwait(false);

                await using (var content = new FileStream(snapshotPath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
                await using (var output = FileUtil.CreatePrivateFile(tmpPath))
                {
                    await BackupFileFormat.WriteAsync(output, content, _provider, now, key, cancellationToken).ConfigureAwait(false);
                    output.Flush(flushToDisk: true);
                }
                File.Move(tmpPath, finalPath, overwrite: false);
            }
            finally
            {
                FileUtil.TryDelete(snapshotPath);
                FileUtil.TryDelete(tmpPath);
            }

            var info = new BackupInfo(now, finalPath, new FileInfo(finalPath).Length);
            _logger.LogInformation("Backup created {BackupFile} ({SizeBytes} bytes, provider {Provider})", Path.GetFileName(finalPath), info.SizeBytes, _provider);
            if (verify)
            {
                await VerifyAsync(finalPath, cancellationToken).ConfigureAwait(false);
            }
            ApplyRetention();
            Status.RecordSuccess(_time.GetUtcNow(), finalPath);
            return info;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var error = ex as BackupException ?? new BackupException($"Backup failed: {ex.Message}", ex);
            Status.RecordFailure(_time.GetUtcNow(), error.Message);
            _logger.LogError(ex, "Backup of {Provider} database failed: {Error}", _provider, error.Message);
            if (ex is BackupException)
                throw;
            throw error;
        }
    }

    /// <summary>Backups in the directory, newest first. Files whose names are not backup names are not listed.</summary>
    public IReadOnlyList<BackupInfo> List()
    {
        string dir = BackupDirectory;
        if (!Directory.Exists(dir))
            return [];
        var list = new List<(BackupInfo Info, int Seq)>();
        foreach (var path in Directory.EnumerateFiles(dir, "*" + BackupFileName.Extension))
        {
            if (BackupFileName.TryParse(Path.GetFileName(path), out var time, out var seq))
                list.Add((new BackupInfo(time, path, new FileInfo(path).Length), seq));
        }
        return list.OrderByDescending(x => x.Info.CreatedAtUtc).ThenByDescending(x => x.Seq).Select(x => x.Info).ToList();
    }

    /// <summary>Decrypts the file, checks its checksum and opens the content to make sure it is a usable database dump.</summary>
    public async Task<BackupHeader> VerifyAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            byte[] key = BackupFileFormat.ParseKey(_options.EncryptionKey);
            string plain = TempPath(EnsureDirectory(), "verify");
            try
            {
                var header = await BackupFileFormat.DecryptToFileAsync(path, plain, key, cancellationToken).ConfigureAwait(false);
                int objects = await VerifyContentAsync(header.Provider, plain, cancellationToken).ConfigureAwait(false);
                _logger.LogInformation("Backup {BackupFile} verified ({Provider}, {ContentLength} bytes, {ObjectCount} objects)",
                    Path.GetFileName(path), header.Provider, header.ContentLength, objects);
                Status.RecordVerified(path, _time.GetUtcNow());
                return header;
            }
            finally
            {
                FileUtil.TryDelete(plain);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var error = ex as BackupException ?? new BackupException($"Verification failed: {ex.Message}", ex);
            _logger.LogError(ex, "Verification of backup {BackupFile} failed: {Error}", Path.GetFileName(path), error.Message);
            if (ex is BackupException)
                throw;
            throw error;
        }
    }

    /// <summary>
    /// Verifies the file, then restores it into the configured database. Refuses a non-empty target unless <paramref name="force"/>.
    /// Nothing touches the target until decryption, checksum and content checks have passed.
    /// </summary>
    public async Task RestoreAsync(string path, bool force, CancellationToken cancellationToken)
    {
        try
        {
            byte[] key = BackupFileFormat.ParseKey(_options.EncryptionKey);
            string plain = TempPath(EnsureDirectory(), "restore");
            try
            {
                var header = await BackupFileFormat.DecryptToFileAsync(path, plain, key, cancellationToken).ConfigureAwait(false);
                if (header.Provider != _provider)
                    throw new BackupException($"Backup is a {header.Provider} backup but the configured database is {_provider}; refusing to restore.");
                await VerifyContentAsync(header.Provider, plain, cancellationToken).ConfigureAwait(false);

                if (!force)
                {
                    int tables = await CountTargetTablesAsync(cancellationToken).ConfigureAwait(false);
                    if (tables > 0)
                        throw new BackupException($"Target database is not empty ({tables} tables); refusing to restore without --force.");
                }

                if (_provider == BackupProviders.Sqlite)
                    RestoreSqlite(plain);
                else
                    await RestorePostgresAsync(plain, cancellationToken).ConfigureAwait(false);

                _logger.LogWarning("Database restored from backup {BackupFile} created {CreatedAtUtc} (force: {Force})",
                    Path.GetFileName(path), header.CreatedAtUtc, force);
            }
            finally
            {
                FileUtil.TryDelete(plain);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            var error = ex as BackupException ?? new BackupException($"Restore failed: {ex.Message}", ex);
            _logger.LogError(ex, "Restore from backup {BackupFile} failed: {Error}", Path.GetFileName(path), error.Message);
            if (ex is BackupException)
                throw;
            throw error;
        }
    }

    /// <summary>Deletes old backups per <see cref="BackupRetention"/>. Returns the deleted paths.</summary>
    public IReadOnlyList<string> ApplyRetention()
    {
        string dir = BackupDirectory;
        if (!Directory.Exists(dir))
            return [];
        var files = Directory.EnumerateFiles(dir, "*" + BackupFileName.Extension).ToList();
        var doomed = BackupRetention.SelectForDeletion(files, _options.Keep, _time.GetUtcNow());
        var deleted = new List<string>();
        foreach (var file in doomed)
        {
            try
            {
                File.Delete(file);
                deleted.Add(file);
                _logger.LogInformation("Retention deleted backup {BackupFile}", Path.GetFileName(file));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _logger.LogError(ex, "Retention could not delete backup {BackupFile}", Path.GetFileName(file));
            }
        }
        return deleted;
    }

    // ---- SQLite ----

    private void SnapshotSqlite(string snapshotPath)
    {
        using var source = new SqliteConnection(_connectionString);
        source.Open();
        using var destination = new SqliteConnection(PrivateSqlite(snapshotPath, SqliteOpenMode.ReadWrite));
        destination.Open();
        source.BackupDatabase(destination);
    }

    private void RestoreSqlite(string plainPath)
    {
        using var source = new SqliteConnection(PrivateSqlite(plainPath, SqliteOpenMode.ReadOnly));
        source.Open();
        using var destination = new SqliteConnection(_connectionString);
        destination.Open();
        // The backup API copies all pages in one step under a write lock: readers see the old or the new database.
        source.BackupDatabase(destination);
    }

    private static int VerifySqlite(string plainPath)
    {
        try
        {
            using var connection = new SqliteConnection(PrivateSqlite(plainPath, SqliteOpenMode.ReadOnly));
            connection.Open();
            using (var check = connection.CreateCommand())
            {
                check.CommandText = "PRAGMA integrity_check;";
                using var reader = check.ExecuteReader();
                var problems = new List<string>();
                while (reader.Read())
                    problems.Add(reader.GetString(0));
                if (problems.Count != 1 || problems[0] != "ok")
                    throw new BackupException($"SQLite integrity check failed: {string.Join("; ", problems.Take(5))}");
            }
            using var count = connection.CreateCommand();
            count.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\';";
            return Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (SqliteException ex)
        {
            throw new BackupException($"Backup content is not a readable SQLite database: {ex.Message}", ex);
        }
    }

    private static string PrivateSqlite(string path, SqliteOpenMode mode) =>
        new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false }.ToString();

    // ---- PostgreSQL ----

    private async Task SnapshotPostgresAsync(string snapshotPath, CancellationToken ct)
    {
        string pgDump = _pgTools.Find("pg_dump");
        var env = PostgresTools.BuildEnvironment(_connectionString);
        await PostgresTools.RunAsync(pgDump, ["--format=custom", "--no-password", "--file=" + snapshotPath], env, ct).ConfigureAwait(false);
    }

    private async Task RestorePostgresAsync(string plainPath, CancellationToken ct)
    {
        string pgRestore = _pgTools.Find("pg_restore");
        var env = PostgresTools.BuildEnvironment(_connectionString);
        string database = PostgresTools.DatabaseName(_connectionString);
        await PostgresTools.RunAsync(pgRestore,
            ["--clean", "--if-exists", "--no-owner", "--single-transaction", "--exit-on-error", "--no-password",
             "--dbname=" + database, plainPath], env, ct).ConfigureAwait(false);
    }

    private async Task<int> VerifyPostgresAsync(string plainPath, CancellationToken ct)
    {
        string pgRestore = _pgTools.Find("pg_restore");
        string listing = await PostgresTools.RunAsync(pgRestore, ["--list", plainPath], new Dictionary<string, string>(), ct).ConfigureAwait(false);
        return listing.Split('\n').Count(l => l.Length > 0 && l[0] != ';');
    }

    // ---- shared ----

    private Task<int> VerifyContentAsync(string provider, string plainPath, CancellationToken ct) =>
        provider == BackupProviders.Sqlite ? Task.FromResult(VerifySqlite(plainPath)) : VerifyPostgresAsync(plainPath, ct);

    private async Task<int> CountTargetTablesAsync(CancellationToken ct)
    {
        if (_provider == BackupProviders.Sqlite)
        {
            using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync(ct).ConfigureAwait(false);
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\';";
            return Convert.ToInt32(await command.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }

        await using var pg = new NpgsqlConnection(_connectionString);
        await pg.OpenAsync(ct).ConfigureAwait(false);
        await using var cmd = pg.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public';";
        return Convert.ToInt32(await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    private string EnsureDirectory()
    {
        string dir = BackupDirectory;
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string NextFreePath(string dir, DateTimeOffset now)
    {
        for (int seq = 0; ; seq++)
        {
            string candidate = Path.Combine(dir, BackupFileName.Format(now, seq));
            if (!File.Exists(candidate) && !File.Exists(candidate + ".tmp"))
                return candidate;
        }
    }

    private static string TempPath(string dir, string purpose) =>
        Path.Combine(dir, $".{purpose}-{Guid.NewGuid():N}.tmp");
}
