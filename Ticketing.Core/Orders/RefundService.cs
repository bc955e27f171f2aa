using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Inventory;
using Ticketing.Core.Notifications;
using Ticketing.Core.Payments;
using Ticketing.Core.Persistence;
using Ticketing.Core.Receipts;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Orders;

public sealed record OrderRefund(Guid OrderId, string Status, int TicketsVoided, long AmountMinor, string Currency, string? CreditNoteNumber = null,
    IReadOnlyList<Guid>? TicketIds = null);

/// <summary><c>POST /api/orders/{id}/refund</c>: some tickets of the order, or all of them when absent.</summary>
public sealed record RefundRequest(IReadOnlyList<Guid>? TicketIds);

/// <summary>
/// Refunds a paid order, whole or in part (some of its tickets), through the gateway that took the money.
/// <list type="number">
/// <item>The claim (one transaction): the chosen tickets Valid -> Voided, conditional per ticket, and the order's version
/// bumped while it is Paid or PartiallyRefunded. Two refunds of the same ticket at the same moment: one claims it, the
/// other finds it no longer Valid and answers 409 with nothing done, so a ticket is refunded once.</item>
/// <item>The gateway, for the claimed tickets' price and booking fee (the whole charge: idempotent per order; a part:
/// idempotent per refund). A failure gives the tickets back (Voided -> Valid) and answers 502 <c>refund_failed</c>.</item>
/// <item>The settlement (one transaction): the seats back on sale, a credit note <c>C-YYYY-NNNNNN</c> (its own gapless
/// sequence, see <see cref="ReceiptIssuer"/>), the order Refunded (no valid ticket left) or PartiallyRefunded, the
/// buyer's notification in the outbox (the first refund of an order notifies).</item>
/// </list>
/// <para>
/// A scanned ticket is never voided nor put back on sale: its holder is (or was) inside. Refunding it (or a whole order
/// that has one) answers <c>409 ticket_used</c> and changes nothing. An event's cancellation refunds every paid order,
/// used tickets included (the show did not take place as sold): the used tickets stay Used and their seats stay sold.
/// </para>
/// </summary>
public sealed class RefundService(
    IDbContextFactory<TicketingDbContext> dbFactory,
    IPaymentGateway gateway,
    SeatInventory seats,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<RefundService> logger)
{
    /// <summary>For the API and the back office: the event's owner or an Admin; anyone else gets 404 (orders are private).</summary>
    public async Task<OrderRefund> RefundAsync(Guid orderId, Actor actor, CancellationToken ct = default) =>
        await RefundAsync(orderId, actor, null, ct);

    /// <summary>Some tickets of the order (<paramref name="ticketIds"/>), or all when null or empty.</summary>
    public async Task<OrderRefund> RefundAsync(Guid orderId, Actor actor, IReadOnlyList<Guid>? ticketIds, CancellationToken ct = default)
    {
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == orderId, ct) ?? throw new NotFoundException();
            var ownerId = await db.Events.Where(e => e.Id == order.EventId).Select(e => e.OwnerId).FirstAsync(ct);
            if (!actor.IsAdmin && ownerId != actor.UserId) throw new NotFoundException();
        }
        return await RefundCoreAsync(orderId, ticketIds is { Count: > 0 } ? ticketIds.Distinct().ToList() : null, NotificationKind.OrderRefunded, refuseUsed: true, ct);
    }

    /// <summary>Used by the cancellation job (no actor: the event was cancelled by its owner or an Admin).</summary>
    public Task<OrderRefund> RefundForCancellationAsync(Guid orderId, CancellationToken ct = default) =>
        RefundCoreAsync(orderId, null, NotificationKind.EventCancelled, refuseUsed: false, ct);

    private async Task<OrderRefund> RefundCoreAsync(Guid orderId, List<Guid>? ticketIds, NotificationKind kind, bool refuseUsed, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().Include(o => o.Items).FirstOrDefaultAsync(o => o.Id == orderId, ct) ?? throw new NotFoundException();
        if (order.Status is not (OrderStatus.Paid or OrderStatus.PartiallyRefunded)) throw NotRefundable();
        var tickets = await db.Tickets.AsNoTracking().Where(t => t.OrderId == orderId).ToListAsync(ct);

        // What this refund covers: the claimed tickets (voided here) and, for a cancellation, the used ones (money only).
        List<Ticket> claim, usedPaid = [];
        if (ticketIds is not null)
        {
            var unknown = ticketIds.Where(id => tickets.All(t => t.Id != id)).ToList();
            if (unknown.Count > 0)
                throw new RequestValidationException(new Validator(localizer).Add("ticketIds", "Validation.UnknownItem").Errors);
            claim = tickets.Where(t => ticketIds.Contains(t.Id)).ToList();
            if (claim.Any(t => t.Status == TicketStatus.Used)) throw new DomainException(ErrorCodes.TicketUsed, localizer["Error.ticket_used"]);
            if (claim.Any(t => t.Status != TicketStatus.Valid)) throw NotRefundable();
        }
        else
        {
            if (refuseUsed && tickets.Any(t => t.Status == TicketStatus.Used)) throw new DomainException(ErrorCodes.TicketUsed, localizer["Error.ticket_used"]);
            claim = tickets.Where(t => t.Status == TicketStatus.Valid).ToList();
            // Used tickets are refunded (not voided) only when the show is cancelled, and only if never refunded before.
            if (!refuseUsed && order.Status == OrderStatus.Paid) usedPaid = tickets.Where(t => t.Status == TicketStatus.Used).ToList();
        }
        if (claim.Count + usedPaid.Count == 0 && order.TotalMinor > 0 && tickets.Count > 0) throw NotRefundable();

        var now = clock.GetUtcNow();
        var claimIds = claim.Select(t => t.Id).ToList();
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var claimedOrder = await OrderTransitions.ClaimForRefundAsync(db, orderId, ct);
            var claimed = claimIds.Count == 0 ? 0 : await db.Tickets.Where(t => claimIds.Contains(t.Id) && t.Status == TicketStatus.Valid)
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TicketStatus.Voided).SetProperty(t => t.VoidedAt, now), ct);
            if (!claimedOrder || claimed != claimIds.Count)
            {
                await tx.RollbackAsync(ct);
                // A scan or another refund came first.
                if (await db.Tickets.AnyAsync(t => claimIds.Contains(t.Id) && t.Status == TicketStatus.Used, ct))
                    throw new DomainException(ErrorCodes.TicketUsed, localizer["Error.ticket_used"]);
                throw NotRefundable();
            }
            await tx.CommitAsync(ct);
        }

        var fees = order.Items.ToDictionary(i => i.CategoryId);
        var refunded = claim.Concat(usedPaid).ToList();
        var amount = refunded.Sum(t => t.PriceMinor + (fees.TryGetValue(t.CategoryId, out var i) ? i.UnitFeeMinor : 0));
        var previous = await db.Receipts.Where(r => r.OrderId == orderId && r.Kind == ReceiptKind.CreditNote).SumAsync(r => (long?)r.TotalMinor, ct) ?? 0;
        amount = Math.Min(amount, order.TotalMinor - previous);
        var payment = await db.Payments.Where(p => p.OrderId == orderId && p.Status == PaymentStatus.Approved)
            .OrderByDescending(p => p.CreatedAt).FirstOrDefaultAsync(ct);
        var whole = previous == 0 && amount == order.TotalMinor;
        // Money taken at the desk (cash, terminal, transfer) is given back there: no gateway knows that charge.
        if (payment is not null && amount > 0 && payment.Provider == gateway.Name)
        {
            var refund = whole
                ? await gateway.RefundAsync(orderId, payment.GatewayReference ?? "", payment.AmountMinor, payment.Currency, ct)
                : await gateway.RefundPartAsync(orderId, payment.GatewayReference ?? "", amount, payment.Currency,
                    $"{orderId:N}-{string.Join('-', claimIds.Order().Select(id => id.ToString("N")[^8..]))}", ct);
            if (!refund.Succeeded)
            {
                logger.LogError("Refund of order {OrderId} failed at the gateway: {Error}", orderId, refund.Error);
                await db.Tickets.Where(t => claimIds.Contains(t.Id) && t.Status == TicketStatus.Voided && t.VoidedAt == now)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TicketStatus.Valid).SetProperty(t => t.VoidedAt, (DateTimeOffset?)null), ct);
                throw new DomainException(ErrorCodes.RefundFailed, localizer["Error.refund_failed"]);
            }
            payment.RefundReference = refund.GatewayReference;
        }

        await using var settle = await db.Database.BeginTransactionAsync(ct);
        await seats.ReturnAsync(db, claim.Select(t => new SeatCount(t.CategoryId, 1)), ct);
        var remaining = await db.Tickets.CountAsync(t => t.OrderId == orderId && t.Status == TicketStatus.Valid, ct);
        var status = remaining == 0 && (usedPaid.Count > 0 || !tickets.Any(t => t.Status == TicketStatus.Used) || previous + amount >= order.TotalMinor)
            ? OrderStatus.Refunded : OrderStatus.PartiallyRefunded;
        await OrderTransitions.SettleRefundAsync(db, orderId, status, now, ct);

        string? creditNote = null;
        if (amount > 0)
        {
            var receipt = await db.Receipts.AsNoTracking().Where(r => r.OrderId == orderId && r.Kind == ReceiptKind.Receipt)
                .Select(r => new { r.Number, r.Method }).FirstOrDefaultAsync(ct);
            var vat = whole ? VatBreakdown.OfItems(order.Items)
                : VatBreakdown.OfItems(order.Items, i => refunded.Count(t => t.CategoryId == i.CategoryId));
            var notes = await ReceiptIssuer.IssueAsync(db, ReceiptKind.CreditNote,
                [new ReceiptRequest(order, amount, vat, receipt?.Method ?? payment?.Provider ?? "", order.BuyerName, receipt?.Number)], now, ct);
            creditNote = notes[0].Number;
        }
        if (payment is not null && status == OrderStatus.Refunded)
        {
            payment.Status = PaymentStatus.Refunded;
            payment.RefundedAt = now;
        }
        var buyer = await db.Users.FirstOrDefaultAsync(u => u.Id == order.UserId, ct);
        if (buyer is not null && buyer.DeletedAt is null && !await db.Notifications.AnyAsync(n => n.OrderId == orderId && n.Kind == kind, ct))
            Outbox.Enqueue(db, order, buyer, kind, now);
        await db.SaveChangesAsync(ct);
        await settle.CommitAsync(ct);
        if (usedPaid.Count > 0)
            logger.LogWarning("Order {OrderId} refunded with {Kept} scanned ticket(s) kept Used, their seats still sold", orderId, usedPaid.Count);
        logger.LogInformation("Order {OrderId} refunded ({Kind}): {Tickets} ticket(s) voided, {Amount} minor units, now {Status}",
            orderId, kind, claim.Count, amount, status);
        return new OrderRefund(orderId, status.ToString(), claim.Count, amount, order.Currency, creditNote, claimIds);
    }

    private DomainException NotRefundable() => new(ErrorCodes.OrderNotRefundable, localizer["Error.order_not_refundable"]);
}
