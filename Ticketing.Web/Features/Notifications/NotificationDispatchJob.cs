using Quartz;
using Ticketing.Core.Notifications;

namespace Ticketing.Web.Features.Notifications;

/// <summary>Delivers due outbox notifications (every 10 s). A thin shell over <see cref="NotificationDispatcher"/>.</summary>
[DisallowConcurrentExecution]
public sealed class NotificationDispatchJob(NotificationDispatcher dispatcher, ILogger<NotificationDispatchJob> logger) : IJob
{
    public const string Cron = "0/10 * * * * ?";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var result = await dispatcher.DispatchDueAsync(ct);
        if (result.Total > 0)
            logger.LogInformation("Notification delivery: {Sent} sent, {Retrying} to retry, {Failed} failed", result.Sent, result.Retrying, result.Failed);
    }
}
