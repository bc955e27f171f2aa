using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Notifications;
using Ticketing.Core.Payments;
using Ticketing.Core.Persistence;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Orders;

public sealed record OrderRefund(Guid OrderId, string Status, int TicketsVoided, long AmountMinor, string Currency);

/// <summary>
/// Refunds a paid order: the gateway first (idempotent per order, so a retry never refunds twice), then one transaction
/// that flips the order Paid -> Refunded (conditional: only one caller wins), voids its tickets, returns the seats to
/// sale and writes the buyer's notification to the outbox. A crash between the two is repaired by calling it again.
/// <para>
/// A scanned ticket is never voided nor put back on sale: its holder is (or was) inside. Refunding an order that has
/// one answers <c>409 ticket_used</c> and changes nothing. An event's cancellation refunds every paid order, used
/// tickets included (the show did not take place as sold): the used tickets stay Used and their seats stay sold.
/// </para>
/// </summary>
public sealed class RefundService(
    IDbContextFactory<TicketingDbContext> dbFactory,
    IPaymentGateway gateway,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<RefundService> logger)
{
    /// <summary>For the API and the back office: the event's owner or an Admin; anyone else gets 404 (orders are private).</summary>
    public async Task<OrderRefund> RefundAsync(Guid orderId, Actor actor, CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct) ?? throw new NotFoundException();
            var ownerId = await db.Events.Where(e => e.Id == order.EventId).Select(e => e.OwnerId).FirstAsync(ct);
            if (!actor.IsAdmin && ownerId != actor.UserId) throw new NotFoundException();
        }
        return await RefundCoreAsync(orderId, NotificationKind.OrderRefunded, refuseUsed: true, ct);
    }

    /// <summary>Used by the cancellation job (no actor: the event was cancelled by its owner or an Admin).</summary>
    public Task<OrderRefund> RefundForCancellationAsync(Guid orderId, CancellationToken ct = default) =>
        RefundCoreAsync(orderId, NotificationKind.EventCancelled, refuseUsed: false, ct);

    private async Task<OrderRefund> RefundCoreAsync(Guid orderId, NotificationKind kind, bool refuseUsed, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var order = await db.Orders.Include(o => o.Items).FirstOrDefaultAsync(o => o.Id == orderId, ct) ?? throw new NotFoundException();
        if (order.Status != OrderStatus.Paid)
            throw new DomainException(ErrorCodes.OrderNotRefundable, localizer["Error.order_not_refundable"]);
        if (refuseUsed && await db.Tickets.AnyAsync(t => t.OrderId == orderId && t.Status == TicketStatus.Used, ct))
            throw new DomainException(ErrorCodes.TicketUsed, localizer["Error.ticket_used"]);
        var payment = await db.Payments.Where(p => p.OrderId == orderId && p.Status == PaymentStatus.Approved)
            .OrderByDescending(p => p.CreatedAt).FirstOrDefaultAsync(ct);

        if (payment is not null && order.TotalMinor > 0)
        {
            var refund = await gateway.RefundAsync(orderId, payment.GatewayReference ?? "", payment.AmountMinor, payment.Currency, ct);
            if (!refund.Succeeded)
            {
                logger.LogError("Refund of order {OrderId} failed at the gateway: {Error}", orderId, refund.Error);
                throw new DomainException(ErrorCodes.RefundFailed, localizer["Error.refund_failed"]);
            }
            payment.RefundReference = refund.GatewayReference;
        }

        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Only one caller flips the order; a concurrent refund finds 0 rows and stops here.
        var flipped = await db.Orders.Where(o => o.Id == orderId && o.Status == OrderStatus.Paid)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Refunded).SetProperty(o => o.ClosedAt, now)
                .SetProperty(o => o.Version, o => o.Version + 1), ct);
        if (flipped == 0)
        {
            await tx.RollbackAsync(ct);
            throw new DomainException(ErrorCodes.OrderNotRefundable, localizer["Error.order_not_refundable"]);
        }
        // Only Valid tickets are voided and only their seats go back on sale (conditional on the status, so a scan that
        // slipped in during the gateway's call keeps its ticket Used and its seat sold).
        var voided = 0;
        foreach (var categoryId in order.Items.Select(i => i.CategoryId).Distinct().Order())
        {
            var q = await db.Tickets.Where(t => t.OrderId == orderId && t.CategoryId == categoryId && t.Status == TicketStatus.Valid)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TicketStatus.Voided).SetProperty(t => t.VoidedAt, now), ct);
            voided += q;
            if (q > 0)
                await db.PriceCategories.Where(c => c.Id == categoryId)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.Sold, c => c.Sold - q), ct);
        }
        if (voided < order.TotalQuantity)
            logger.LogWarning("Order {OrderId} refunded with {Kept} scanned ticket(s) kept Used, their seats still sold",
                orderId, order.TotalQuantity - voided);
        if (payment is not null)
        {
            payment.Status = PaymentStatus.Refunded;
            payment.RefundedAt = now;
        }
        var buyer = await db.Users.FirstOrDefaultAsync(u => u.Id == order.UserId, ct);
        if (buyer is not null && buyer.DeletedAt is null)
            Outbox.Enqueue(db, order, buyer, kind, now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Order {OrderId} refunded ({Kind}), {Tickets} ticket(s) voided", orderId, kind, voided);
        return new OrderRefund(orderId, OrderStatus.Refunded.ToString(), voided, order.TotalMinor, order.Currency);
    }
}
