using System.Text;
using Npgsql;
using Ticketing.Core.Backups;
using Ticketing.Tests.Infrastructure;
using Xunit;

namespace Ticketing.Tests.Integration.Backups;

/// <summary>The backup engine on PostgreSQL, on the one shared cluster of the test run (<see cref="SharedPostgres"/>).</summary>
public sealed class PostgresBackupTests : IAsyncLifetime
{
    private const string PlantedEmail = "bob.confidential@example.com";
    private PostgresServer _server = null!;
    private readonly TempDirectory _dir = new();
    private readonly string _key = BackupFileFormat.GenerateKey();
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2025, 6, 30, 10, 0, 0, TimeSpan.Zero));
    private string _lastOutput = "";

    public async Task InitializeAsync() => _server = await SharedPostgres.GetAsync();

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    private BackupService Service(string database, string? key = "default", ListLogger<BackupService>? logger = null, string? binDir = null) =>
        new(new BackupOptions { Directory = _dir.File("backups"), EncryptionKey = key == "default" ? _key : key, PostgresBinDirectory = binDir },
            "Postgres", _server.ConnectionString(database), _time, logger ?? new ListLogger<BackupService>());

    private async Task ExecAsync(string database, string sql)
    {
        await using var c = new NpgsqlConnection(_server.ConnectionString(database));
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task<object?> ScalarAsync(string database, string sql)
    {
        await using var c = new NpgsqlConnection(_server.ConnectionString(database));
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        return await cmd.ExecuteScalarAsync();
    }

    private async Task<(long Payments, long Orders, string Checksum)> SnapshotAsync(string database) =>
        ((long)(await ScalarAsync(database, "SELECT count(*) FROM payments"))!,
         (long)(await ScalarAsync(database, "SELECT count(*) FROM orders"))!,
         (string)(await ScalarAsync(database,
            "SELECT md5(coalesce(string_agg(p::text, E'\\n' ORDER BY p.id), '')) || md5(coalesce((SELECT string_agg(o::text, E'\\n' ORDER BY o.id) FROM orders o), '')) FROM payments p"))!);

    private async Task<string> SeedAsync()
    {
        string db = await _server.CreateDatabaseAsync();
        await ExecAsync(db, """
            CREATE TABLE orders (id bigserial PRIMARY KEY, note text, created timestamptz NOT NULL DEFAULT '2025-01-01Z');
            CREATE TABLE payments (
                id bigserial PRIMARY KEY,
                order_id bigint REFERENCES orders(id),
                email text NOT NULL,
                amount numeric(12,2) NOT NULL,
                meta jsonb);
            CREATE INDEX ix_payments_email ON payments(email);
            INSERT INTO orders (note) SELECT 'order ' || g FROM generate_series(1, 500) g;
            INSERT INTO payments (order_id, email, amount, meta)
              SELECT 1 + g % 500, 'user' || g || '@example.org', (g * 1.37)::numeric(12,2),
                     CASE WHEN g % 3 = 0 THEN NULL ELSE jsonb_build_object('n', g) END
              FROM generate_series(1, 3000) g;
            """);
        await ExecAsync(db, $"UPDATE payments SET email = '{PlantedEmail}' WHERE id = 1234");
        return db;
    }

    private async Task<int> CliAsync(BackupService service, params string[] args)
    {
        var output = new StringWriter();
        int code = await BackupCommandLine.RunAsync(args, service, output);
        _lastOutput = output.ToString();
        return code;
    }

    [Fact]
    public async Task Backup_then_restore_into_empty_database_reproduces_rows_exactly()
    {
        string source = await SeedAsync();
        var before = await SnapshotAsync(source);
        var logger = new ListLogger<BackupService>();

        Assert.Equal(0, await CliAsync(Service(source, logger: logger), "backup", "now"));
        var info = Assert.Single(Service(source).List());
        byte[] bytes = await File.ReadAllBytesAsync(info.Path);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(PlantedEmail)));
        Assert.Equal(-1, bytes.AsSpan().IndexOf("PGDMP"u8));

        string target = await _server.CreateDatabaseAsync();
        var restorer = Service(target, logger: logger);
        Assert.Equal(0, await CliAsync(restorer, "backup", "verify", info.Path));
        Assert.Contains("Postgres", _lastOutput);
        Assert.Equal(0, await CliAsync(restorer, "backup", "restore", info.Path));

        Assert.Equal(before, await SnapshotAsync(target));
        Assert.Equal(3000, before.Payments);
        Assert.Equal(PlantedEmail, await ScalarAsync(target, "SELECT email FROM payments WHERE id = 1234"));
        // sequences restored too: the next insert does not collide
        await ExecAsync(target, "INSERT INTO payments (email, amount) VALUES ('new@example.org', 1)");
        Assert.DoesNotContain(logger.Lines, l => l.Contains(_key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Non_empty_target_is_refused_without_force_and_overwritten_with_force()
    {
        string source = await SeedAsync();
        var info = await Service(source).CreateAsync(CancellationToken.None);

        string target = await _server.CreateDatabaseAsync();
        await ExecAsync(target, "CREATE TABLE payments (id int); INSERT INTO payments VALUES (1), (2);");
        var restorer = Service(target);

        Assert.Equal(1, await CliAsync(restorer, "backup", "restore", info.Path));
        Assert.Contains("not empty", _lastOutput);
        Assert.Equal(2L, await ScalarAsync(target, "SELECT count(*) FROM payments"));

        Assert.Equal(0, await CliAsync(restorer, "backup", "restore", info.Path, "--force"));
        Assert.Equal(await SnapshotAsync(source), await SnapshotAsync(target));
    }

    [Theory]
    [InlineData("flip")]
    [InlineData("truncate")]
    [InlineData("version")]
    [InlineData("wrongkey")]
    public async Task Bad_files_are_refused_and_target_left_untouched(string corruption)
    {
        string source = await SeedAsync();
        var info = await Service(source).CreateAsync(CancellationToken.None);
        byte[] bytes = await File.ReadAllBytesAsync(info.Path);
        string? key = "default";
        switch (corruption)
        {
            case "flip": bytes[bytes.Length - 40] ^= 0x04; break;
            case "truncate": bytes = bytes[..^20]; break;
            case "version": bytes[4] = 9; break;
            case "wrongkey": key = BackupFileFormat.GenerateKey(); break;
        }
        string bad = _dir.File("bad.tbak");
        await File.WriteAllBytesAsync(bad, bytes);

        string target = await _server.CreateDatabaseAsync();
        await ExecAsync(target, "CREATE TABLE marker (x int); INSERT INTO marker VALUES (42);");

        Assert.NotEqual(0, await CliAsync(Service(target, key), "backup", "restore", bad, "--force"));
        Assert.StartsWith("error: ", _lastOutput);
        Assert.Single(_lastOutput.TrimEnd().Split('\n'));
        Assert.Equal(1L, await ScalarAsync(target, "SELECT count(*) FROM marker"));
        Assert.Equal(0L, await ScalarAsync(target, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'payments'"));
    }

    [Fact]
    public async Task Failing_restore_is_rolled_back_as_a_whole()
    {
        string source = await SeedAsync();
        var info = await Service(source).CreateAsync(CancellationToken.None);

        // A target where the restore must fail part-way: a view depends on a table the dump drops with --clean.
        string target = await _server.CreateDatabaseAsync();
        await ExecAsync(target, "CREATE TABLE orders (id bigint PRIMARY KEY, note text); INSERT INTO orders VALUES (7, 'keep');" +
                                "CREATE VIEW v_orders AS SELECT * FROM orders;");

        Assert.Equal(1, await CliAsync(Service(target), "backup", "restore", info.Path, "--force"));
        Assert.Contains("pg_restore failed", _lastOutput);
        Assert.Equal("keep", await ScalarAsync(target, "SELECT note FROM orders WHERE id = 7"));
        Assert.Equal(0L, await ScalarAsync(target, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename = 'payments'"));
    }

    [Fact]
    public async Task Missing_pg_dump_gives_a_clear_error()
    {
        string source = await SeedAsync();
        var service = Service(source, binDir: _dir.Path);
        Assert.Equal(1, await CliAsync(service, "backup", "now"));
        Assert.Contains("pg_dump was not found", _lastOutput);
        Assert.Contains("pg_dump was not found", service.Status.LastError);
    }

    [Fact]
    public async Task Unreachable_server_fails_without_leaking_the_password()
    {
        var logger = new ListLogger<BackupService>();
        var service = new BackupService(
            new BackupOptions { Directory = _dir.File("backups"), EncryptionKey = _key },
            "Postgres", "Host=127.0.0.1;Port=1;Database=payments;Username=app;Password=Sup3rSecretPw;Timeout=2",
            _time, logger);
        Assert.Equal(1, await CliAsync(service, "backup", "now"));
        Assert.StartsWith("error: ", _lastOutput);
        Assert.DoesNotContain("Sup3rSecretPw", _lastOutput);
        Assert.DoesNotContain(logger.Lines, l => l.Contains("Sup3rSecretPw", StringComparison.Ordinal));
        Assert.Contains(logger.Lines, l => l.StartsWith("Error:", StringComparison.Ordinal));
    }
}
