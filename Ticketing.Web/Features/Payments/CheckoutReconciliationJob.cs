using Quartz;
using Ticketing.Core.Payments;

namespace Ticketing.Web.Features.Payments;

/// <summary>Every minute: hosted payment pages whose webhook never came are settled by asking the provider.</summary>
[DisallowConcurrentExecution]
public sealed class CheckoutReconciliationJob(CheckoutService checkout) : IJob
{
    public const string Cron = "45 * * * * ?";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await checkout.ReconcileAsync(cancellationToken);
}
