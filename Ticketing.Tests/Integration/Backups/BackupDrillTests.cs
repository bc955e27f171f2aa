using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Backups;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Backups;

/// <summary>
/// Backups of the real app database (migrated schema, entities written through EF Core), restored into an empty database.
/// Each test builds its own <see cref="BackupService"/> on the app's provider and connection string, with its own key
/// and directory, so the shared app's backup status (and /health) is never touched.
/// </summary>
public abstract class BackupDrillTests(TicketingApp app) : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly string _key = BackupFileFormat.GenerateKey();

    public async Task InitializeAsync() => await app.ResetAsync();

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
        return Task.CompletedTask;
    }

    private DatabaseConnectionInfo Source => app.Services.GetRequiredService<DatabaseConnectionInfo>();

    private BackupService Service(string connectionString, string? key = null, int keep = 24, TimeProvider? time = null) =>
        new(new BackupOptions { Directory = _dir.File("backups"), EncryptionKey = key ?? _key, Keep = keep },
            Source.Provider.ToString(), connectionString, time ?? TimeProvider.System, new ListLogger<BackupService>());

    private async Task<string> EmptyDatabaseAsync() => app.Provider == DatabaseProvider.Sqlite
        ? $"Data Source={_dir.File("restored-" + Guid.NewGuid().ToString("N")[..8] + ".db")}"
        : await SharedPostgres.CreateDatabaseAsync();

    private async Task<(Guid UserId, string Email)> SeedAsync()
    {
        var (_, userId, email) = await app.CreateUserClientAsync();
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<TicketingDbContext>>().CreateDbContextAsync();
        await BackupTestData.SeedAsync(db, userId, email);
        return (userId, email);
    }

    private async Task<BackupTestData.Fingerprint> FingerprintAsync(string connectionString)
    {
        await using var db = BackupTestData.Open(app.Provider, connectionString);
        return await BackupTestData.FingerprintAsync(db);
    }

    [Fact]
    public async Task RestoreDrill_IntoAnEmptyDatabase_ReproducesOrdersPaymentsAndTicketsExactly()
    {
        await SeedAsync();
        var before = await FingerprintAsync(Source.ConnectionString);
        Assert.Equal((12, 24, 12, 24), (before.Orders, before.OrderItems, before.Payments, before.Tickets));

        var backup = Service(Source.ConnectionString);
        var info = await backup.CreateVerifiedAsync(CancellationToken.None);
        Assert.NotNull(backup.Status.VerifiedAt(info.Path));
        Assert.False(backup.Status.IsFailing);

        string target = await EmptyDatabaseAsync();
        var restorer = Service(target);
        await restorer.RestoreAsync(info.Path, force: false, CancellationToken.None);

        Assert.Equal(before, await FingerprintAsync(target));
        // The restored database is a working app database: the schema history came along.
        await using var restored = BackupTestData.Open(app.Provider, target);
        Assert.Empty(await restored.Database.GetPendingMigrationsAsync());
    }

    [Fact]
    public async Task RestoreDrill_RefusesTamperedAndWrongKeyFiles_AndLeavesTheTargetEmpty()
    {
        await SeedAsync();
        var info = await Service(Source.ConnectionString).CreateAsync(CancellationToken.None);
        byte[] bytes = await File.ReadAllBytesAsync(info.Path);
        bytes[bytes.Length / 2] ^= 0x20;
        string tampered = _dir.File("tampered.tbak");
        await File.WriteAllBytesAsync(tampered, bytes);

        string target = await EmptyDatabaseAsync();
        var tamperedError = await Assert.ThrowsAsync<BackupException>(() => Service(target).RestoreAsync(tampered, force: false, CancellationToken.None));
        Assert.Contains("tampered", tamperedError.Message);
        var keyError = await Assert.ThrowsAsync<BackupException>(() =>
            Service(target, key: BackupFileFormat.GenerateKey()).RestoreAsync(info.Path, force: false, CancellationToken.None));
        Assert.Contains("wrong key", keyError.Message);

        await using var db = BackupTestData.Open(app.Provider, target);
        Assert.Equal(db.Database.GetMigrations().Count(), (await db.Database.GetPendingMigrationsAsync()).Count());
    }

    [Fact]
    public async Task BackupFile_HoldsNoReadablePersonalOrPaymentData()
    {
        var (_, email) = await SeedAsync();
        var info = await Service(Source.ConnectionString).CreateAsync(CancellationToken.None);

        byte[] bytes = await File.ReadAllBytesAsync(info.Path);
        BackupTestData.AssertUnreadable(bytes, email, BackupTestData.HolderName, BackupTestData.GatewayReference, "Salle Pleyel",
            "PAR-0612-000001", "AspNetUsers", "CREATE TABLE", "SQLite format 3", "PGDMP");
    }

    [Fact]
    public async Task Retention_KeepsTheConfiguredNumberOfRecentBackups()
    {
        await SeedAsync();
        var clock = new ManualTimeProvider(new DateTimeOffset(2030, 1, 1, 1, 0, 0, TimeSpan.Zero));
        var service = Service(Source.ConnectionString, keep: 2, time: clock);
        var created = new List<BackupInfo>();
        for (int i = 0; i < 4; i++)
        {
            created.Add(await service.CreateAsync(CancellationToken.None));
            clock.Advance(TimeSpan.FromHours(1));
        }
        // Keep=2 most recent; the oldest of the same day are pruned (the newest of the day is among the two).
        Assert.Equal(created.TakeLast(2).Reverse().Select(b => b.Path), service.List().Select(b => b.Path));
        Assert.All(created.Take(2), b => Assert.False(File.Exists(b.Path)));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteBackupDrillTests(SqliteApp app) : BackupDrillTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresBackupDrillTests(PostgresApp app) : BackupDrillTests(app);
