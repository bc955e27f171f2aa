using Quartz;
using Ticketing.Core.Orders;
using Ticketing.Core.Payments;
using Ticketing.Core.Tickets;

namespace Ticketing.Web.Features.Orders;

/// <summary>Every ~15 s: expired holds give their seats back.</summary>
[DisallowConcurrentExecution]
public sealed class HoldExpiryJob(OrderService orders, TimeProvider clock) : IJob
{
    public const string Cron = "0/15 * * * * ?";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await orders.ExpireHoldsAsync(clock.GetUtcNow(), cancellationToken);
}

/// <summary>Every minute: payments left Pending (a crash between the gateway and our transaction) are settled.</summary>
[DisallowConcurrentExecution]
public sealed class PaymentRecoveryJob(PaymentService payments) : IJob
{
    public const string Cron = "30 * * * * ?";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await payments.RecoverPendingPaymentsAsync(cancellationToken);
}

/// <summary>Every minute: refunds a crash left half-way (tickets voided, settlement never committed) are settled.</summary>
[DisallowConcurrentExecution]
public sealed class RefundRepairJob(RefundService refunds) : IJob
{
    public const string Cron = "45 * * * * ?";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await refunds.RepairUnsettledAsync(cancellationToken);
}

/// <summary>At start: loads the ticket signing key and settles what a previous process left Pending.</summary>
public sealed class PurchaseStartup(IServiceScopeFactory scopes, TicketCodeSigner signer, ILogger<PurchaseStartup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await signer.InitializeAsync(stoppingToken);
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<PaymentService>().RecoverPendingPaymentsAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Payment recovery at start-up failed; the scheduled job retries");
        }
    }
}
