using System.Diagnostics;
using System.Text;
using Npgsql;

namespace Ticketing.Core.Backups;

/// <summary>Locates and runs pg_dump / pg_restore. Connection details go through PG* environment variables only.</summary>
internal sealed class PostgresTools
{
    private readonly string? _binDirectory;

    public PostgresTools(string? binDirectory) => _binDirectory = binDirectory;

    public string Find(string tool)
    {
        string exe = OperatingSystem.IsWindows() ? tool + ".exe" : tool;
        if (!string.IsNullOrWhiteSpace(_binDirectory))
        {
            string explicitPath = Path.Combine(_binDirectory, exe);
            if (File.Exists(explicitPath))
                return explicitPath;
            throw new BackupException($"{tool} was not found in Backups:PostgresBinDirectory ({_binDirectory}). Install the PostgreSQL client tools.");
        }

        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, exe);
            if (File.Exists(candidate))
                return candidate;
        }

        const string debianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(debianRoot))
        {
            var best = Directory.GetDirectories(debianRoot)
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : -1))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Dir, "bin", exe))
                .FirstOrDefault(File.Exists);
            if (best is not null)
                return best;
        }

        throw new BackupException($"{tool} was not found on PATH or under /usr/lib/postgresql/*/bin. Install the PostgreSQL client tools (e.g. apt-get install postgresql-client) or set Backups:PostgresBinDirectory.");
    }

    public static Dictionary<string, string> BuildEnvironment(string connectionString)
    {
        NpgsqlConnectionStringBuilder b;
        try
        {
            b = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException)
        {
            throw new BackupException("The PostgreSQL connection string could not be parsed.");
        }
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PGAPPNAME"] = "ticketing-backup",
        };
        if (!string.IsNullOrEmpty(b.Host)) env["PGHOST"] = b.Host;
        if (b.Port > 0) env["PGPORT"] = b.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!string.IsNullOrEmpty(b.Username)) env["PGUSER"] = b.Username;
        if (!string.IsNullOrEmpty(b.Password)) env["PGPASSWORD"] = b.Password;
        if (!string.IsNullOrEmpty(b.Database)) env["PGDATABASE"] = b.Database;
        if (b.Timeout > 0) env["PGCONNECT_TIMEOUT"] = b.Timeout.ToString(System.Globalization.CultureInfo.InvariantCulture);
        string? sslMode = b.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Allow => "allow",
            SslMode.Prefer => "prefer",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => null,
        };
        if (sslMode is not null) env["PGSSLMODE"] = sslMode;
        return env;
    }

    public static string DatabaseName(string connectionString)
    {
        var db = new NpgsqlConnectionStringBuilder(connectionString).Database;
        if (string.IsNullOrEmpty(db))
            throw new BackupException("The PostgreSQL connection string has no Database.");
        return db;
    }

    /// <summary>Runs a tool; returns stdout; throws BackupException (with the tail of stderr) on a non-zero exit.</summary>
    public static async Task<string> RunAsync(string exe, IEnumerable<string> args, IReadOnlyDictionary<string, string> env, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        foreach (var key in new[] { "PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSERVICE", "PGSSLMODE", "PGOPTIONS" })
            psi.Environment.Remove(key);
        foreach (var (k, v) in env)
            psi.Environment[k] = v;

        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            throw new BackupException($"Could not start {Path.GetFileName(exe)}: {ex.Message}");
        }
        process.StandardInput.Close(); // never wait for a password prompt

        var stdoutTask = process.StandardOutput.ReadToEndAsync(ct);
        var stderrTask = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw;
        }
        string stdout = await stdoutTask.ConfigureAwait(false);
        string stderr = await stderrTask.ConfigureAwait(false);
        if (process.ExitCode != 0)
            throw new BackupException($"{Path.GetFileName(exe)} failed with exit code {process.ExitCode}: {OneLine(stderr)}");
        return stdout;
    }

    private static string OneLine(string text)
    {
        var sb = new StringBuilder();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (sb.Length > 0) sb.Append(" | ");
            sb.Append(line);
            if (sb.Length > 600) break;
        }
        return sb.Length == 0 ? "(no error output)" : sb.ToString();
    }
}
