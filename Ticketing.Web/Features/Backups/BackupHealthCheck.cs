using Microsoft.Extensions.Diagnostics.HealthChecks;
using Ticketing.Core.Backups;

namespace Ticketing.Web.Features.Backups;

/// <summary>
/// <c>backups</c> on /health: Degraded when the last backup failed, when Production has no encryption key, or when the
/// last success (this process, or the newest file on disk) is older than about two schedule periods.
/// </summary>
public sealed class BackupHealthCheck(BackupService backups, IHostEnvironment environment, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check());

    private HealthCheckResult Check()
    {
        var status = backups.Status;
        if (!backups.HasEncryptionKey && environment.IsProduction())
            return HealthCheckResult.Degraded("no encryption key configured (Backups:EncryptionKey): backups are not running");
        if (status.IsFailing)
            return HealthCheckResult.Degraded("the last backup failed: " + status.LastError);

        var lastSuccess = LastSuccess();
        if (lastSuccess is null)
            return HealthCheckResult.Healthy(backups.HasEncryptionKey ? "no backup yet" : "no encryption key: backups are off");

        var now = time.GetUtcNow();
        var period = BackupSchedule.Period(backups.Schedule, now);
        if (period != TimeSpan.MaxValue && now - lastSuccess.Value > period * 2 + TimeSpan.FromMinutes(1))
            return HealthCheckResult.Degraded($"the last successful backup is from {lastSuccess.Value:u}, more than two schedule periods ago");
        return HealthCheckResult.Healthy($"last backup {lastSuccess.Value:u}");
    }

    private DateTimeOffset? LastSuccess()
    {
        var fromStatus = backups.Status.LastSuccessUtc;
        DateTimeOffset? fromDisk = null;
        try
        {
            fromDisk = backups.List().FirstOrDefault()?.CreatedAtUtc;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        if (fromStatus is null) return fromDisk;
        if (fromDisk is null) return fromStatus;
        return fromStatus > fromDisk ? fromStatus : fromDisk;
    }
}
