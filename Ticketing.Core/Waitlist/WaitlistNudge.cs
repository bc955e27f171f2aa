using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Ticketing.Core.Waitlist;

/// <summary>
/// "Seats came back": rung by <see cref="Inventory.SeatInventory"/> on every release and return, so that the waiting lists
/// are offered the seats within a second instead of at the next run of the 15-second job (which stays, as the safety net
/// for a nudge lost to a restart or a transaction that committed late). Ringing it is free: the signal holds at most one
/// pending ring, however many seats come back meanwhile.
/// </summary>
public sealed class WaitlistNudge
{
    private readonly Channel<bool> _rings = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void SeatsCameBack() => _rings.Writer.TryWrite(true);

    internal ValueTask<bool> WaitAsync(CancellationToken ct) => _rings.Reader.ReadAsync(ct);
}

/// <summary>
/// Runs <see cref="WaitlistService.OfferAsync"/> when <see cref="WaitlistNudge"/> rings: it waits
/// <see cref="WaitlistOptions.OfferDelayMilliseconds"/> first (the releasing transaction commits meanwhile, and a burst of
/// releases — an expiry sweep, a cancelled event — becomes one run), then offers. One run at a time per instance; runs on
/// several instances, or alongside the job, are safe (each offer is a conditional move of its entry).
/// <c>Waitlist:OfferOnReturn</c> (default true) switches it off.
/// </summary>
public sealed class WaitlistNudgeService(WaitlistNudge nudge, IServiceScopeFactory scopes, IOptions<WaitlistOptions> options,
    ILogger<WaitlistNudgeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.OfferOnReturn) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await nudge.WaitAsync(stoppingToken);
                await Task.Delay(options.Value.OfferDelayMilliseconds, stoppingToken);
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<WaitlistService>().OfferAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The 15-second job offers them instead.
                logger.LogWarning(ex, "Offering returned seats to the waiting lists failed; the periodic run will do it");
            }
        }
    }
}
