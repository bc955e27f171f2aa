using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Backups;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Backups;

/// <summary>The app with its Quartz scheduler on and a backup every 2 seconds.</summary>
public abstract class ScheduledBackupApp : TicketingApp
{
    public string Key { get; } = BackupFileFormat.GenerateKey();

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Jobs:Enabled"] = "true",
        ["Backups:Schedule"] = "0/2 * * * * ?",
        ["Backups:EncryptionKey"] = Key,
        ["Backups:Keep"] = "3",
    };
}

public sealed class ScheduledSqliteBackupApp : ScheduledBackupApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class ScheduledPostgresBackupApp : ScheduledBackupApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

public abstract class BackupScheduleTests<TApp>(TApp app) : IClassFixture<TApp> where TApp : ScheduledBackupApp
{
    [Fact]
    public async Task Schedule_Fires_AndWritesAVerifiedEncryptedBackup()
    {
        var backups = app.Services.GetRequiredService<BackupService>();
        Assert.Equal(Path.Combine(app.ContentRoot, "App_Data", "backups"), backups.BackupDirectory);

        // Wait (bounded) for the scheduler; no assertion on how long it took.
        BackupInfo? first = null;
        for (var waited = TimeSpan.Zero; waited < TimeSpan.FromSeconds(90) && first is null; waited += TimeSpan.FromMilliseconds(250))
        {
            // The file is marked verified just before the run records its success (retention runs in between).
            first = backups.Status.LastSuccessUtc is null ? null
                : backups.List().FirstOrDefault(b => backups.Status.VerifiedAt(b.Path) is not null);
            if (first is null) await Task.Delay(250);
        }

        Assert.NotNull(first);
        Assert.False(backups.Status.IsFailing, backups.Status.LastError);
        Assert.NotNull(backups.Status.LastSuccessUtc);
        var header = await backups.VerifyAsync(first.Path, CancellationToken.None);
        Assert.Equal(app.Provider == DatabaseProvider.Sqlite ? BackupProviders.Sqlite : BackupProviders.Postgres, header.Provider);

        var health = await (await (await app.AdminClientAsync()).GetAsync("/health")).ReadJsonAsync();
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("backups").GetProperty("status").GetString());
    }
}

public sealed class SqliteBackupScheduleTests(ScheduledSqliteBackupApp app) : BackupScheduleTests<ScheduledSqliteBackupApp>(app);

public sealed class PostgresBackupScheduleTests(ScheduledPostgresBackupApp app) : BackupScheduleTests<ScheduledPostgresBackupApp>(app);
