using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Backups;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Backups;

/// <summary>The published app (<c>dotnet Ticketing.Web.dll backup ...</c>) run as a process, as an operator would, on SQLite files.</summary>
public sealed class PublishedBackupCliTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly string _key = BackupFileFormat.GenerateKey();
    private string _app = "";

    public async Task InitializeAsync() => _app = await PublishedBuild.GetDirectoryAsync();

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
        return Task.CompletedTask;
    }

    private static string Sqlite(string path) => $"Data Source={path}";

    /// <summary>Runs the published app in <c>_dir</c> (its content root) in Production, configured through environment variables.</summary>
    private async Task<(int Exit, string Out, string Err)> RunAsync(string database, string? key, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir.Path, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(_app, "Ticketing.Web.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        psi.Environment["Database__Provider"] = "Sqlite";
        psi.Environment["ConnectionStrings__Ticketing"] = Sqlite(database);
        psi.Environment.Remove("Backups__EncryptionKey");
        if (key is not null) psi.Environment["Backups__EncryptionKey"] = key;

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private async Task<BackupTestData.Fingerprint> FingerprintAsync(string path)
    {
        await using var db = BackupTestData.Open(DatabaseProvider.Sqlite, Sqlite(path));
        return await BackupTestData.FingerprintAsync(db);
    }

    private static long MarkerCount(string path)
    {
        using var c = new SqliteConnection(Sqlite(path));
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM marker";
        return (long)cmd.ExecuteScalar()!;
    }

    private static void CreateMarker(string path)
    {
        using var c = new SqliteConnection(Sqlite(path));
        c.Open();
        using var cmd = c.CreateCommand();
        cmd.CommandText = "CREATE TABLE marker (x INTEGER); INSERT INTO marker VALUES (42);";
        cmd.ExecuteNonQuery();
    }

    [Fact]
    public async Task PublishedApp_BacksUpListsVerifiesAndRestoresIntoAnEmptyDatabase_AndRefusesBadFiles()
    {
        string source = _dir.File("ticketing.db");
        await using (var db = BackupTestData.Open(DatabaseProvider.Sqlite, Sqlite(source)))
        {
            await db.Database.MigrateAsync();
            await BackupTestData.SeedAsync(db, Guid.CreateVersion7(), "fan@example.org");
        }
        var before = await FingerprintAsync(source);

        // backup now -> one file under the content root's App_Data/backups, named by its UTC time
        var now = await RunAsync(source, _key, "backup", "now");
        Assert.True(now.Exit == 0, now.Out + now.Err);
        var file = Assert.Single(Directory.GetFiles(Path.Combine(_dir.Path, "App_Data", "backups"), "*.tbak"));
        Assert.True(BackupFileName.TryParse(Path.GetFileName(file), out _));
        string relative = Path.Combine("App_Data", "backups", Path.GetFileName(file));

        var list = await RunAsync(source, _key, "backup", "list");
        Assert.Equal(0, list.Exit);
        Assert.Contains(Path.GetFileName(file), list.Out);

        var verify = await RunAsync(source, _key, "backup", "verify", relative);
        Assert.True(verify.Exit == 0, verify.Out + verify.Err);
        Assert.Contains("backup OK: Sqlite", verify.Out);

        // restore into an empty database (no schema: the app does not migrate in backup mode)
        string target = _dir.File("restored.db");
        var restore = await RunAsync(target, _key, "backup", "restore", relative);
        Assert.True(restore.Exit == 0, restore.Out + restore.Err);
        SqliteConnection.ClearAllPools();
        Assert.Equal(before, await FingerprintAsync(target));

        // a non-empty target is refused without --force
        var again = await RunAsync(target, _key, "backup", "restore", relative);
        Assert.Equal(BackupCommandLine.Failure, again.Exit);
        Assert.Contains("not empty", again.Out);

        // tampered file and wrong key: non-zero exit, target untouched
        byte[] bytes = await File.ReadAllBytesAsync(file);
        bytes[bytes.Length - 100] ^= 0x01;
        string tampered = _dir.File("tampered.tbak");
        await File.WriteAllBytesAsync(tampered, bytes);
        string guarded = _dir.File("guarded.db");
        CreateMarker(guarded);

        var bad = await RunAsync(guarded, _key, "backup", "restore", tampered, "--force");
        Assert.NotEqual(0, bad.Exit);
        Assert.StartsWith("error: ", bad.Out);
        var wrongKey = await RunAsync(guarded, BackupFileFormat.GenerateKey(), "backup", "restore", relative, "--force");
        Assert.NotEqual(0, wrongKey.Exit);
        Assert.Contains("wrong key", wrongKey.Out);
        var noKey = await RunAsync(guarded, null, "backup", "now");
        Assert.NotEqual(0, noKey.Exit);
        Assert.Contains("encryption key", noKey.Out);
        Assert.Equal(1, MarkerCount(guarded));
        Assert.DoesNotContain(_key, now.Out + now.Err + restore.Out + restore.Err + wrongKey.Out + wrongKey.Err);
    }

    [Fact]
    public async Task PublishedApp_PrintsUsage_AndExits2_OnAnUnknownVerb()
    {
        var result = await RunAsync(_dir.File("x.db"), _key, "backup", "frobnicate");
        Assert.Equal(BackupCommandLine.UsageError, result.Exit);
        Assert.Contains("usage: backup now", result.Out);
    }
}
