using Quartz;
using Ticketing.Core.Resale;

namespace Ticketing.Web.Features.Resale;

/// <summary>Every minute: sellers of sold listings whose refund a crash or a gateway failure left unsettled are refunded (once).</summary>
[DisallowConcurrentExecution]
public sealed class ResaleRepairJob(ResaleSettlement settlement) : IJob
{
    public const string Cron = "50 * * * * ?";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await settlement.RepairAsync(cancellationToken);
}
