using Quartz;
using Ticketing.Core.Notifications;

namespace Ticketing.Web.Features.Notifications;

/// <summary>
/// Delivers due outbox notifications (fires every 10 s, then keeps going batch after batch while rows are due, for up
/// to <see cref="RunBudget"/>). A thin shell over <see cref="NotificationDispatcher"/>.
/// </summary>
[DisallowConcurrentExecution]
public sealed class NotificationDispatchJob(NotificationDispatcher dispatcher, ILogger<NotificationDispatchJob> logger) : IJob
{
    public const string Cron = "0/10 * * * * ?";
    /// <summary>One run's longest stretch; the next firing carries on (runs never overlap in the cluster).</summary>
    public static readonly TimeSpan RunBudget = TimeSpan.FromMinutes(2);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var result = await dispatcher.DispatchAllDueAsync(RunBudget, ct);
        if (result.Total > 0)
            logger.LogInformation("Notification delivery: {Sent} sent, {Retrying} to retry, {Failed} failed", result.Sent, result.Retrying, result.Failed);
    }
}
