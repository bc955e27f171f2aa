using Quartz;
using Ticketing.Core.Backups;

namespace Ticketing.Web.Features.Backups;

/// <summary>The scheduled backup (<c>Backups:Schedule</c>): writes, verifies and prunes. Failures are logged at Error and recorded in <see cref="BackupStatus"/>.</summary>
[DisallowConcurrentExecution]
public sealed class BackupJob(BackupService backups, ILogger<BackupJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        try
        {
            await backups.CreateVerifiedAsync(cancellationToken);
        }
        catch (BackupException)
        {
            // Already logged at Error and recorded by BackupService; the next run tries again.
            logger.LogDebug("Scheduled backup failed; see the previous error");
        }
    }
}
