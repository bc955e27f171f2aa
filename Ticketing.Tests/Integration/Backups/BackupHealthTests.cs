using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting.Internal;
using Ticketing.Core.Backups;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;
using Ticketing.Web.Features.Backups;

namespace Ticketing.Tests.Integration.Backups;

/// <summary>An app whose backup directory cannot be created (a file is in the way): every backup fails.</summary>
public sealed class FailingBackupApp : TicketingApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Backups:EncryptionKey"] = BackupFileFormat.GenerateKey(),
        ["Backups:Directory"] = "blocked/backups",
    };

    public override async Task InitializeAsync()
    {
        Directory.CreateDirectory(ContentRoot);
        await File.WriteAllTextAsync(Path.Combine(ContentRoot, "blocked"), "a file where the backup folder should be");
        await base.InitializeAsync();
    }
}

public sealed class BackupHealthTests(FailingBackupApp app) : IClassFixture<FailingBackupApp>, IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Health_IsDegraded_WithTheError_WhenTheLastBackupFailed()
    {
        var backups = app.Services.GetRequiredService<BackupService>();
        var error = await Assert.ThrowsAsync<BackupException>(() => backups.CreateVerifiedAsync(CancellationToken.None));

        var health = await (await (await app.AdminClientAsync()).GetAsync("/health")).ReadJsonAsync();
        Assert.Equal("Degraded", health.GetProperty("status").GetString());
        var check = health.GetProperty("checks").GetProperty("backups");
        Assert.Equal("Degraded", check.GetProperty("status").GetString());
        Assert.Contains(error.Message, check.GetProperty("description").GetString());
        Assert.Equal(error.Message, backups.Status.LastError);
    }

    private BackupService Service(string? key, TimeProvider time) =>
        new(new BackupOptions { Directory = _dir.File("backups"), EncryptionKey = key },
            "Sqlite", $"Data Source={_dir.File("db.sqlite")}", time, new ListLogger<BackupService>());

    private static async Task<HealthCheckResult> CheckAsync(BackupService service, string environment, TimeProvider time) =>
        await new BackupHealthCheck(service, new HostingEnvironment { EnvironmentName = environment }, time)
            .CheckHealthAsync(new HealthCheckContext());

    [Fact]
    public async Task Health_IsDegraded_InProductionWithoutAKey_ButNotInDevelopmentOrTests()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var service = Service(key: null, time);
        Assert.Equal(HealthStatus.Degraded, (await CheckAsync(service, "Production", time)).Status);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(service, "Testing", time)).Status);
    }

    [Fact]
    public async Task Health_IsDegraded_WhenTheLastSuccessIsOlderThanTwoSchedulePeriods()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2030, 3, 1, 10, 0, 5, TimeSpan.Zero));
        var service = Service(BackupFileFormat.GenerateKey(), time);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(service, "Production", time)).Status); // none yet: nothing to judge

        await service.CreateVerifiedAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(90));
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync(service, "Production", time)).Status);

        time.Advance(TimeSpan.FromHours(2));
        var stale = await CheckAsync(service, "Production", time);
        Assert.Equal(HealthStatus.Degraded, stale.Status);
        Assert.Contains("two schedule periods", stale.Description);
    }
}
