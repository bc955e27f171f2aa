using Quartz;
using Ticketing.Core.Webhooks;

namespace Ticketing.Web.Features.Webhooks;

/// <summary>Records and sends organizers' webhook deliveries (every 10 s by default, <c>Webhooks:Schedule</c>). A thin shell over <see cref="WebhookDispatcher"/>.</summary>
[DisallowConcurrentExecution]
public sealed class WebhookJob(WebhookDispatcher dispatcher, ILogger<WebhookJob> logger) : IJob
{
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct)
    {
        var (recorded, delivered, failed) = await dispatcher.RunOnceAsync(ct);
        if (recorded + delivered + failed > 0)
            logger.LogInformation("Webhooks: {Recorded} recorded, {Delivered} delivered, {Failed} given up", recorded, delivered, failed);
    }
}
