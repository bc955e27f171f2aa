using Quartz;
using Ticketing.Core.WaitingRoom;

namespace Ticketing.Web.Features.WaitingRoom;

/// <summary>Every 30 s: waiting rooms with the automatic rate follow the purchases of their date (<see cref="WaitingRoomService.AdjustAutomaticRatesAsync"/>).</summary>
[DisallowConcurrentExecution]
public sealed class AdmissionRateJob(WaitingRoomService rooms) : IJob
{
    public const string Cron = "20/30 * * * * ?";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await rooms.AdjustAutomaticRatesAsync(cancellationToken);
}
