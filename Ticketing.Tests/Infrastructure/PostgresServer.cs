using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Ticketing.Tests.Infrastructure;

/// <summary>
/// A throw-away PostgreSQL cluster for integration tests: initdb into a temp folder (as the "postgres" user when running
/// as root, since initdb refuses root), start on a free localhost port with trust auth, stop and delete on dispose.
/// Binaries come from TICKETING_PG_BIN or the newest /usr/lib/postgresql/*/bin.
/// Use as an xUnit class/collection fixture.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable, IDisposable, Xunit.IAsyncLifetime
{
    private const string SuperUser = "postgres";
    private bool _started;

    public string BinDirectory { get; }
    public string DataDirectory { get; }
    public int Port { get; private set; }

    public PostgresServer()
    {
        BinDirectory = FindBinDirectory()
            ?? throw new InvalidOperationException("PostgreSQL server binaries not found: set TICKETING_PG_BIN or install postgresql (e.g. apt-get install postgresql).");
        DataDirectory = Path.Combine(Path.GetTempPath(), "ticketing-pg-" + Guid.NewGuid().ToString("N")[..12]);
    }

    public static string? FindBinDirectory()
    {
        var env = Environment.GetEnvironmentVariable("TICKETING_PG_BIN");
        if (!string.IsNullOrEmpty(env) && File.Exists(Path.Combine(env, "initdb")))
            return env;
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
            return null;
        return Directory.GetDirectories(root)
            .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : -1)
            .Select(d => Path.Combine(d, "bin"))
            .FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
    }

    public static bool IsRoot => Environment.UserName == "root";

    public async Task StartAsync()
    {
        if (_started)
            return;
        Port = TestPorts.Free();
        await RunAsync(Path.Combine(BinDirectory, "initdb"),
            ["-D", DataDirectory, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync"]);
        await RunAsync(Path.Combine(BinDirectory, "pg_ctl"),
            ["-D", DataDirectory, "-l", Path.Combine(DataDirectory, "server.log"), "-w", "-t", "60",
             "-o", $"-p {Port} -k {DataDirectory} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300", "start"]);
        _started = true;
    }

    public string ConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = SuperUser,
            Database = database,
            Pooling = false,
        }.ToString();

    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "db_" + Guid.NewGuid().ToString("N")[..12];
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE \"{name}\"";
        await command.ExecuteNonQueryAsync();
        return name;
    }

    public async Task StopAsync()
    {
        if (_started)
        {
            _started = false;
            try
            {
                await RunAsync(Path.Combine(BinDirectory, "pg_ctl"), ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);
            }
            catch (InvalidOperationException)
            {
                // best effort
            }
        }
        try
        {
            if (Directory.Exists(DataDirectory))
                Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    Task Xunit.IAsyncLifetime.InitializeAsync() => StartAsync();
    Task Xunit.IAsyncLifetime.DisposeAsync() => StopAsync();
    public async ValueTask DisposeAsync() => await StopAsync();
    public void Dispose() => StopAsync().GetAwaiter().GetResult();


    /// <summary>Runs a server binary, as the postgres user when we are root.</summary>
    private static async Task RunAsync(string exe, string[] args)
    {
        var psi = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        if (IsRoot)
        {
            psi.FileName = "runuser";
            foreach (var a in new[] { "-u", SuperUser, "--", exe })
                psi.ArgumentList.Add(a);
        }
        else
        {
            psi.FileName = exe;
        }
        foreach (var a in args)
            psi.ArgumentList.Add(a);

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"could not start {exe}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{Path.GetFileName(exe)} exited {process.ExitCode}: {await stderr} {await stdout}");
    }
}
