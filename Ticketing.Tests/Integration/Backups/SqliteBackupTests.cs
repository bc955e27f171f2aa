using System.Text;
using Microsoft.Data.Sqlite;
using Ticketing.Core.Backups;
using Ticketing.Tests.Infrastructure;
using Xunit;

namespace Ticketing.Tests.Integration.Backups;

public sealed class SqliteBackupTests : IDisposable
{
    private const string PlantedEmail = "alice.secret@example.com";
    private readonly TempDirectory _dir = new();
    private readonly string _key = BackupFileFormat.GenerateKey();
    private readonly ManualTimeProvider _time = new(new DateTimeOffset(2025, 6, 30, 10, 0, 0, TimeSpan.Zero));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private string Db(string name) => $"Data Source={_dir.File(name)}";

    private BackupService Service(string connectionString, string? key = "default", int keep = 24, ListLogger<BackupService>? logger = null, string provider = "Sqlite") =>
        new(new BackupOptions { Directory = _dir.File("backups"), EncryptionKey = key == "default" ? _key : key, Keep = keep },
            provider, connectionString, _time, logger ?? new ListLogger<BackupService>());

    private static void Exec(string cs, string sql)
    {
        using var c = new SqliteConnection(cs);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static (long Rows, string Checksum) Snapshot(string cs)
    {
        using var c = new SqliteConnection(cs);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, email, amount_cents, paid_at FROM payments ORDER BY id";
        using var r = cmd.ExecuteReader();
        var sb = new StringBuilder();
        long rows = 0;
        while (r.Read())
        {
            rows++;
            sb.Append(r.GetInt64(0)).Append('|').Append(r.GetString(1)).Append('|').Append(r.GetInt64(2)).Append('|')
              .Append(r.IsDBNull(3) ? "null" : r.GetString(3)).Append('\n');
        }
        return (rows, Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString()))));
    }

    private static long Count(string cs, string table)
    {
        using var c = new SqliteConnection(cs);
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT count(*) FROM {table}";
        return (long)cmd.ExecuteScalar()!;
    }

    private string Seed()
    {
        string cs = Db("source.db");
        Exec(cs, "PRAGMA journal_mode=WAL; CREATE TABLE payments (id INTEGER PRIMARY KEY, email TEXT NOT NULL, amount_cents INTEGER NOT NULL, paid_at TEXT);" +
                 "CREATE TABLE orders (id INTEGER PRIMARY KEY, note TEXT);");
        using var c = new SqliteConnection(cs);
        c.Open();
        using var tx = c.BeginTransaction();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "INSERT INTO payments (email, amount_cents, paid_at) VALUES ($e, $a, $p)";
        var e = cmd.Parameters.Add("$e", SqliteType.Text);
        var a = cmd.Parameters.Add("$a", SqliteType.Integer);
        var p = cmd.Parameters.Add("$p", SqliteType.Text);
        for (int i = 0; i < 5000; i++)
        {
            e.Value = i == 1234 ? PlantedEmail : $"user{i}@example.org";
            a.Value = i * 137 % 100000;
            p.Value = i % 7 == 0 ? DBNull.Value : $"2025-06-{1 + i % 28:00}T10:00:00Z";
            cmd.ExecuteNonQuery();
        }
        tx.Commit();
        return cs;
    }

    private async Task<int> Cli(BackupService service, params string[] args)
    {
        var output = new StringWriter();
        int code = await BackupCommandLine.RunAsync(args, service, output);
        LastOutput = output.ToString();
        return code;
    }

    private string LastOutput { get; set; } = "";

    [Fact]
    public async Task Backup_then_restore_into_empty_database_reproduces_rows_exactly()
    {
        string source = Seed();
        var before = Snapshot(source);
        var logger = new ListLogger<BackupService>();
        var service = Service(source, logger: logger);

        var info = await service.CreateAsync(CancellationToken.None);

        Assert.True(File.Exists(info.Path));
        Assert.Equal("2025-06-30T10-00-00Z.tbak", Path.GetFileName(info.Path));
        Assert.Equal(new FileInfo(info.Path).Length, info.SizeBytes);
        Assert.Empty(Directory.GetFiles(_dir.File("backups"), "*.tmp"));
        Assert.Single(Directory.GetFiles(_dir.File("backups")));
        Assert.NotNull(service.Status.LastSuccessUtc);

        string target = Db("restored.db");
        var restorer = Service(target, logger: logger);
        Assert.Equal(0, await Cli(restorer, "backup", "verify", info.Path));
        Assert.Contains("backup OK", LastOutput);
        Assert.Equal(0, await Cli(restorer, "backup", "restore", info.Path));

        Assert.Equal(before, Snapshot(target));
        Assert.Equal(5000, before.Rows);
        Assert.Empty(Directory.GetFiles(_dir.File("backups"), "*.tmp"));
        Assert.DoesNotContain(logger.Lines, l => l.Contains(_key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Encrypted_file_contains_no_plaintext()
    {
        string source = Seed();
        SqliteConnection.ClearAllPools();
        // sanity: the planted value really is stored as plain bytes in the unencrypted database
        byte[] raw = [.. await File.ReadAllBytesAsync(_dir.File("source.db")),
                      .. File.Exists(_dir.File("source.db-wal")) ? await File.ReadAllBytesAsync(_dir.File("source.db-wal")) : []];
        Assert.NotEqual(-1, raw.AsSpan().IndexOf(Encoding.UTF8.GetBytes(PlantedEmail)));
        var info = await Service(source).CreateAsync(CancellationToken.None);
        byte[] bytes = await File.ReadAllBytesAsync(info.Path);
        Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(PlantedEmail)));
        Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(PlantedEmail)));
        Assert.Equal(-1, bytes.AsSpan().IndexOf("SQLite format 3"u8));
        Assert.Equal(-1, bytes.AsSpan().IndexOf("CREATE TABLE"u8));
    }

    [Fact]
    public async Task Non_empty_target_is_refused_without_force_and_replaced_with_force()
    {
        string source = Seed();
        var info = await Service(source).CreateAsync(CancellationToken.None);
        string target = Db("busy.db");
        Exec(target, "CREATE TABLE marker (x INTEGER); INSERT INTO marker VALUES (42);");
        var restorer = Service(target);

        Assert.Equal(1, await Cli(restorer, "backup", "restore", info.Path));
        Assert.Contains("not empty", LastOutput);
        Assert.Single(LastOutput.TrimEnd().Split('\n'));
        Assert.Equal(1, Count(target, "marker"));

        Assert.Equal(0, await Cli(restorer, "backup", "restore", info.Path, "--force"));
        Assert.Equal(Snapshot(source), Snapshot(target));
        Assert.Throws<SqliteException>(() => Count(target, "marker")); // whole database replaced
    }

    public static TheoryData<string> Corruptions => new() { "flip", "truncate", "version", "wrongkey", "header" };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public async Task Bad_files_are_refused_and_target_left_untouched(string corruption)
    {
        string source = Seed();
        var info = await Service(source).CreateAsync(CancellationToken.None);
        byte[] bytes = await File.ReadAllBytesAsync(info.Path);
        string? key = "default";
        switch (corruption)
        {
            case "flip": bytes[bytes.Length / 2] ^= 0x10; break;
            case "truncate": bytes = bytes[..(bytes.Length - 1000)]; break;
            case "version": bytes[4] = 9; break;
            case "wrongkey": key = BackupFileFormat.GenerateKey(); break;
            case "header": bytes[12] ^= 0x01; break;
        }
        string bad = _dir.File("bad.tbak");
        await File.WriteAllBytesAsync(bad, bytes);

        string target = Db("target.db");
        Exec(target, "CREATE TABLE marker (x INTEGER); INSERT INTO marker VALUES (42);");
        var restorer = Service(target, key);

        Assert.NotEqual(0, await Cli(restorer, "backup", "verify", bad));
        Assert.StartsWith("error: ", LastOutput);
        Assert.NotEqual(0, await Cli(restorer, "backup", "restore", bad, "--force"));
        Assert.StartsWith("error: ", LastOutput);
        Assert.Single(LastOutput.TrimEnd().Split('\n'));
        if (corruption == "version")
            Assert.Contains("unsupported format version 9", LastOutput, StringComparison.OrdinalIgnoreCase);
        if (corruption == "truncate")
            Assert.Contains("truncated", LastOutput);

        Assert.Equal(1, Count(target, "marker"));
        Assert.Empty(Directory.GetFiles(_dir.File("backups"), "*.tmp"));
    }

    [Fact]
    public async Task Missing_key_is_refused_and_recorded()
    {
        string source = Seed();
        var service = Service(source, key: null);
        Assert.Equal(1, await Cli(service, "backup", "now"));
        Assert.Contains("encryption key", LastOutput);
        Assert.NotNull(service.Status.LastFailureUtc);
        Assert.True(service.Status.IsFailing);
        Assert.False(Directory.Exists(_dir.File("backups")) && Directory.GetFiles(_dir.File("backups")).Length > 0);
    }

    [Fact]
    public async Task Provider_mismatch_is_refused()
    {
        string source = Seed();
        var info = await Service(source).CreateAsync(CancellationToken.None);
        var pgService = Service("Host=127.0.0.1;Port=1;Database=nothing;Username=x;Password=hunter2", provider: "Postgres");
        var ex = await Assert.ThrowsAsync<BackupException>(() => pgService.RestoreAsync(info.Path, force: true, CancellationToken.None));
        Assert.Contains("Sqlite backup", ex.Message);
    }

    [Fact]
    public async Task Retention_prunes_and_list_is_newest_first()
    {
        string source = Seed();
        var service = Service(source, keep: 2);
        string unrelated = Path.Combine(service.BackupDirectory, "keep-me.tbak");
        Directory.CreateDirectory(service.BackupDirectory);
        await File.WriteAllTextAsync(unrelated, "manual");

        var created = new List<BackupInfo>();
        for (int i = 0; i < 5; i++)
        {
            created.Add(await service.CreateAsync(CancellationToken.None));
            _time.Advance(TimeSpan.FromHours(1));
        }
        var list = service.List();
        Assert.Equal(created.TakeLast(2).Reverse().Select(b => b.Path), list.Select(b => b.Path));
        Assert.True(File.Exists(unrelated));

        Assert.Equal(0, await Cli(service, "backup", "list"));
        var lines = LastOutput.TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains("2025-06-30 14:00:00Z", lines[0]);
    }

    [Fact]
    public async Task Two_backups_in_the_same_second_get_distinct_names()
    {
        string source = Seed();
        var service = Service(source);
        var a = await service.CreateAsync(CancellationToken.None);
        var b = await service.CreateAsync(CancellationToken.None);
        Assert.NotEqual(a.Path, b.Path);
        Assert.Equal(b.Path, service.List()[0].Path);
    }

    [Theory]
    [InlineData("backup")]
    [InlineData("backup", "frobnicate")]
    [InlineData("backup", "verify")]
    [InlineData("backup", "restore", "a", "b")]
    [InlineData("backup", "now", "extra")]
    public async Task Unknown_or_malformed_commands_print_usage(params string[] args)
    {
        Assert.Equal(BackupCommandLine.UsageError, await Cli(Service(Db("x.db")), args));
        Assert.Contains("usage: backup now", LastOutput);
    }

    [Fact]
    public async Task Verify_of_missing_file_fails_cleanly()
    {
        Assert.Equal(1, await Cli(Service(Db("x.db")), "backup", "verify", _dir.File("nope.tbak")));
        Assert.Contains("not found", LastOutput);
    }
}
