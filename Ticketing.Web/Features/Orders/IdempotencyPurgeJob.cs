using Quartz;
using Ticketing.Core.Orders;

namespace Ticketing.Web.Features.Orders;

/// <summary>Hourly (<c>Idempotency:PurgeSchedule</c>): idempotency records older than their retention are deleted.</summary>
[DisallowConcurrentExecution]
public sealed class IdempotencyPurgeJob(IdempotencyStore store) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await store.PurgeExpiredAsync(cancellationToken);
}
