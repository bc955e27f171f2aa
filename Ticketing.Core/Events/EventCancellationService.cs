using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Common;
using Ticketing.Core.Inventory;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Events;

public sealed record CancelEventResult(Guid EventId, string Status, DateTimeOffset CancelledAt, int OrdersToRefund);

/// <summary>
/// Cancelling an event: marks it Cancelled at once (idempotent), releases its open holds, and leaves the refunds to a
/// background job that works through the paid orders in batches. All state is in the database, so the job resumes
/// after a restart; each order is refunded once (conditional status flip + the gateway's idempotency per order).
/// </summary>
public sealed class EventCancellationService(
    IDbContextFactory<TicketingDbContext> dbFactory,
    RefundService refunds,
    SeatInventory seats,
    OnSaleCache onSale,
    CatalogChangeNotifier changes,
    TimeProvider clock,
    ILogger<EventCancellationService> logger)
{
    public async Task<CancelEventResult> CancelAsync(Guid eventId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ev = await EventAccess.GetManageableAsync(db, eventId, actor, ct);
        var now = clock.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % 10)); // PostgreSQL keeps microseconds: answer what a re-read will say

        if (ev.Cancel(now))
        {
            ev.UpdatedAt = now;
            await db.SaveChangesAsync(ct);
            onSale.Invalidate();
            logger.LogInformation("Event {EventId} cancelled by {UserId}", eventId, actor.UserId);
            await changes.EventChangedAsync(eventId);
        }
        await ReleaseHoldsAsync(db, eventId, now, ct);
        var toRefund = await db.Orders.CountAsync(o => o.EventId == eventId && (o.Status == OrderStatus.Paid || o.Status == OrderStatus.PartiallyRefunded), ct);
        return new CancelEventResult(ev.Id, ev.Status.ToString(), ev.CancelledAt!.Value, toRefund);
    }

    /// <summary>One pass of the job: refunds up to <paramref name="batchSize"/> paid orders of cancelled events.</summary>
    public async Task<int> RefundNextBatchAsync(int batchSize = 50, CancellationToken ct = default)
    {
        List<Guid> orderIds;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            orderIds = await (from o in db.Orders
                              join e in db.Events on o.EventId equals e.Id
                              // A partially refunded order gets the rest of its money back too.
                              where e.Status == EventStatus.Cancelled && (o.Status == OrderStatus.Paid || o.Status == OrderStatus.PartiallyRefunded)
                              orderby o.PaidAt
                              select o.Id).Take(batchSize).ToListAsync(ct);
        }
        var done = 0;
        foreach (var id in orderIds)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                await refunds.RefundForCancellationAsync(id, ct);
                done++;
            }
            catch (DomainException ex) when (ex.Code == ErrorCodes.OrderNotRefundable)
            {
                // Refunded meanwhile by someone else (or another instance): nothing to do.
            }
            catch (DomainException ex) when (ex.Code == ErrorCodes.RefundFailed)
            {
                logger.LogWarning("Refund of order {OrderId} will be retried on the next pass", id);
            }
        }
        return done;
    }

    private async Task ReleaseHoldsAsync(TicketingDbContext db, Guid eventId, DateTimeOffset now, CancellationToken ct)
    {
        var holds = await db.Orders.Include(o => o.Items)
            .Where(o => o.EventId == eventId && o.Status == OrderStatus.Reserved).ToListAsync(ct);
        foreach (var order in holds)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (await OrderTransitions.CloseHoldAsync(db, order.Id, OrderStatus.Cancelled, now, ct))
            {
                if (order.ResaleListingId is { } listingId) await Resale.ResaleService.ReopenAsync(db, listingId, order.Id, ct);
                else await seats.ReleaseAsync(db, order, ct);
            }
            await tx.CommitAsync(ct);
        }
    }
}
