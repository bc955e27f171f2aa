using Quartz;
using Ticketing.Core.Events;

namespace Ticketing.Web.Features.Events;

/// <summary>Works through the paid orders of cancelled events (see <see cref="EventCancellationService.RefundNextBatchAsync"/>).</summary>
[DisallowConcurrentExecution]
public sealed class CancellationRefundJob(EventCancellationService cancellations) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        // Keep going while batches come back full, so a large cancellation does not wait a tick per batch.
        while (await cancellations.RefundNextBatchAsync(50, cancellationToken) == 50) { }
    }
}
