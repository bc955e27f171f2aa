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
    Microsoft.Extensions.Options.IOptions<ReceiptOptions> receiptOptions,
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
            if (!actor.IsAdmin && ownerId != actor.UserId)
            {
                // The buyer themselves, while a reschedule's refund window is open (Messages/RefundWindow); without any window
                // offered the answer stays 404, once it closed 409 refund_window_closed.
                if (order.UserId != actor.UserId || actor.UserId == Guid.Empty || !await Messages.RefundWindow.WasOfferedAsync(db, order, ct))
                    throw new NotFoundException();
                if (await Messages.RefundWindow.OpenUntilAsync(db, order, clock.GetUtcNow(), ct) is null)
                    throw new DomainException(ErrorCodes.RefundWindowClosed, localizer["Error.refund_window_closed"]);
            }
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
            // Used tickets are refunded (not voided) only when the show is cancelled. A refund on request refuses used tickets
            // and the cancellation's refund ends the order Refunded, so a used ticket of a Paid or PartiallyRefunded order was
            // never refunded.
            if (!refuseUsed) usedPaid = tickets.Where(t => t.Status == TicketStatus.Used).ToList();
        }
        // Nothing left to refund. A free order (or a comp) too when asked by a person: a second request that read the order
        // while the first one's claim was committed but not yet settled would settle it again (a second mail). The
        // cancellation job may still close a free order with nothing valid left (it would select it again forever).
        if (claim.Count + usedPaid.Count == 0 && tickets.Count > 0 && (order.TotalMinor > 0 || refuseUsed)) throw NotRefundable();

        // The charge is read BEFORE the claim: a parallel refund of the order's other tickets that settles the last of them
        // marks the payment Refunded, and read after our claim it would be gone: this part credited, its money never sent.
        var payment = await db.Payments.Where(p => p.OrderId == orderId && p.Status == PaymentStatus.Approved)
            .OrderByDescending(p => p.CreatedAt).FirstOrDefaultAsync(ct);
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

        // One fee per category (reserved seating has one line per seat, all of a category at the same fee).
        var fees = order.Items.GroupBy(i => i.CategoryId).ToDictionary(g => g.Key, g => g.First());
        var refunded = claim.Concat(usedPaid).ToList();
        var amount = refunded.Sum(t => t.PriceMinor + (fees.TryGetValue(t.CategoryId, out var i) ? i.UnitFeeMinor : 0));
        var previous = await db.Receipts.Where(r => r.OrderId == orderId && r.Kind == ReceiptKind.CreditNote).SumAsync(r => (long?)r.TotalMinor, ct) ?? 0;
        amount = Math.Min(amount, order.TotalMinor - previous);
        var whole = previous == 0 && amount == order.TotalMinor;
        // Money taken at the desk (cash, terminal, transfer) is given back there: no gateway knows that charge.
        if (payment is not null && amount > 0 && payment.Provider == gateway.Name)
        {
            var refund = await GiveBackAsync(order, payment, claimIds, amount, whole, ct);
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
        var (status, creditNote) = await SettleAsync(db, order, tickets, claim, usedPaid, amount, whole, payment, kind,
            receiptOptions.Value.BookingFeeBasisPoints, now, ct);
        await settle.CommitAsync(ct);
        if (usedPaid.Count > 0)
            logger.LogWarning("Order {OrderId} refunded with {Kept} scanned ticket(s) kept Used, their seats still sold", orderId, usedPaid.Count);
        logger.LogInformation("Order {OrderId} refunded ({Kind}): {Tickets} ticket(s) voided, {Amount} minor units, now {Status}",
            orderId, kind, claim.Count, amount, status);
        return new OrderRefund(orderId, status.ToString(), claim.Count, amount, order.Currency, creditNote, claimIds);
    }

    /// <summary>The gateway call: the whole charge (idempotent per order) or a part (idempotent per set of tickets).</summary>
    private Task<RefundResult> GiveBackAsync(Order order, Payment payment, IReadOnlyCollection<Guid> claimIds, long amount, bool whole, CancellationToken ct) =>
        whole
            ? gateway.RefundAsync(order.Id, payment.GatewayReference ?? "", payment.AmountMinor, payment.Currency, ct)
            : gateway.RefundPartAsync(order.Id, payment.GatewayReference ?? "", amount, payment.Currency,
                $"{order.Id:N}-{string.Join('-', claimIds.Order().Select(id => id.ToString("N")[^8..]))}", ct);

    /// <summary>
    /// The settlement, inside the caller's transaction: the claimed tickets' seats back on sale, the order Refunded or
    /// PartiallyRefunded, the credit note (issued at <paramref name="now"/>, the claim's time: that is how a settled claim
    /// is told from an unsettled one), the payment, the buyer's notification.
    /// </summary>
    private async Task<(OrderStatus Status, string? CreditNote)> SettleAsync(TicketingDbContext db, Order order, IReadOnlyList<Ticket> tickets,
        IReadOnlyList<Ticket> claim, IReadOnlyList<Ticket> usedPaid, long amount, bool whole, Payment? payment, NotificationKind kind,
        int feeBasisPoints, DateTimeOffset now, CancellationToken ct)
    {
        var orderId = order.Id;
        var previous = await db.Receipts.Where(r => r.OrderId == orderId && r.Kind == ReceiptKind.CreditNote).SumAsync(r => (long?)r.TotalMinor, ct) ?? 0;
        await seats.ReturnAsync(db, claim.Select(t => new SeatCount(t.CategoryId, 1)), ct);
        await seats.ReturnSeatsAsync(db, claim.Select(t => t.SeatId), ct);
        await Comps.CompService.GiveBackQuotaAsync(db, orderId, claim, ct);
        var remaining = await db.Tickets.CountAsync(t => t.OrderId == orderId && t.Status == TicketStatus.Valid, ct);
        var status = remaining == 0 && (usedPaid.Count > 0 || !tickets.Any(t => t.Status == TicketStatus.Used) || previous + amount >= order.TotalMinor)
            ? OrderStatus.Refunded : OrderStatus.PartiallyRefunded;
        await OrderTransitions.SettleRefundAsync(db, orderId, status, now, ct);

        string? creditNote = null;
        Guid? creditNoteId = null;
        if (amount > 0)
        {
            var refunded = claim.Concat(usedPaid).ToList();
            var receipt = await db.Receipts.AsNoTracking().Where(r => r.OrderId == orderId && r.Kind == ReceiptKind.Receipt)
                .Select(r => new { r.Number, r.Method }).FirstOrDefaultAsync(ct);
            var vat = whole ? VatBreakdown.OfItems(order.Items, feeBasisPoints)
                : VatBreakdown.OfItems(order.Items, feeBasisPoints,
                    // A seated order has one line per seat: each line counts its own seat, not its category's.
                    i => i.SeatId is { } seat ? refunded.Count(t => t.SeatId == seat) : refunded.Count(t => t.CategoryId == i.CategoryId));
            var notes = await ReceiptIssuer.IssueAsync(db, ReceiptKind.CreditNote,
                [new ReceiptRequest(order, amount, vat, receipt?.Method ?? payment?.Provider ?? "", order.BuyerName, receipt?.Number)], now, ct);
            creditNote = notes[0].Number;
            creditNoteId = notes[0].Id;
        }
        if (payment is not null && status == OrderStatus.Refunded)
        {
            payment.Status = PaymentStatus.Refunded;
            payment.RefundedAt = now;
        }
        // A guest order's buyer is the address given at checkout (Guests/GuestBuyers).
        // A comp's guest without an account is the name and address the organizer gave (Comps/CompService).
        var buyer = await db.Users.FirstOrDefaultAsync(u => u.Id == order.UserId, ct)
                    ?? (await Guests.GuestBuyers.ForAsync(db, [order]))?.GetValueOrDefault(order.Id)
                    ?? await Comps.CompService.GuestOfAsync(db, orderId, ct);
        if (buyer is not null && buyer.DeletedAt is null)
        {
            // A whole order refunded at once: one "refunded" notice. A refund of some tickets (each later one too, up to the
            // last): a notice per credit note, with what this refund gave back and which tickets it voided.
            // "Whole" by money is not whole for the fan while a free ticket of the order stays valid (a 0 € line): that is a
            // refund of part of the order.
            var everyTicket = claim.Count + usedPaid.Count == tickets.Count;
            if (kind == NotificationKind.OrderRefunded && !(whole && everyTicket) && creditNoteId is { } noteId)
                Outbox.Enqueue(db, order, buyer, NotificationKind.OrderPartiallyRefunded, now, subjectId: noteId);
            // Nothing to give back (free tickets, or made free by a promo code; some of the order or all of it): no credit note
            // (a zero one would take a number of the gapless sequence and correct nothing), and no "refunded 0 €" either:
            // the fan is told the tickets are void and that there was nothing to refund.
            else if (kind == NotificationKind.OrderRefunded && amount == 0 && claim.Count > 0)
                Outbox.Enqueue(db, order, buyer, NotificationKind.OrderTicketsCancelled, now, subjectId: claim.Min(t => t.Id));
            else if (!await db.Notifications.AnyAsync(n => n.OrderId == orderId && n.Kind == kind, ct))
                Outbox.Enqueue(db, order, buyer, kind, now);
        }
        await db.SaveChangesAsync(ct);
        return (status, creditNote);
    }

    /// <summary>How old a claim must be before the repair takes it for one a crash left half-way (a live refund settles in seconds).</summary>
    public static readonly TimeSpan RepairAge = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Settles the refunds a crash left half-way: tickets claimed (Voided) whose settlement never committed — no credit
    /// note issued at the claim's time, so their seats are still sold and the order still Paid. The gateway is asked
    /// first: a whole refund is sent again (idempotent per order); a part is sent again only when the gateway's ledger
    /// does not show it already (or, when the gateway cannot tell, with the same idempotency key). Then the settlement
    /// runs exactly as the refund's own. Each claim is re-taken by a conditional update of its tickets inside the
    /// settlement, so two repairs at once settle it once. Claims of free tickets (nothing to give back, no credit note to
    /// recognise a settled one by) are left alone. Returns how many claims were settled.
    /// </summary>
    public async Task<int> RepairUnsettledAsync(CancellationToken ct = default)
    {
        var cutoff = clock.GetUtcNow() - RepairAge;
        List<Ticket> voided;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            voided = await db.Tickets.AsNoTracking()
                .Where(t => t.Status == TicketStatus.Voided && t.VoidedAt != null && t.VoidedAt <= cutoff && t.TransferredToId == null
                            && !db.Receipts.Any(r => r.OrderId == t.OrderId && r.Kind == ReceiptKind.CreditNote && r.IssuedAt == t.VoidedAt))
                .Take(1000).ToListAsync(ct);
        var repaired = 0;
        foreach (var claim in voided.GroupBy(t => (t.OrderId, VoidedAt: t.VoidedAt!.Value)))
        {
            try
            {
                if (await RepairAsync(claim.Key.OrderId, claim.Key.VoidedAt, claim.ToList(), ct)) repaired++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Repair of the refund of order {OrderId} failed; retried on the next run", claim.Key.OrderId);
            }
        }
        if (repaired > 0) logger.LogWarning("Settled {Count} refund(s) left half-way", repaired);
        return repaired;
    }

    private async Task<bool> RepairAsync(Guid orderId, DateTimeOffset claimedAt, List<Ticket> claim, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().Include(o => o.Items).FirstAsync(o => o.Id == orderId, ct);
        // One fee per category (reserved seating has one line per seat, all of a category at the same fee).
        var fees = order.Items.GroupBy(i => i.CategoryId).ToDictionary(g => g.Key, g => g.First());
        var previous = await db.Receipts.Where(r => r.OrderId == orderId && r.Kind == ReceiptKind.CreditNote).SumAsync(r => (long?)r.TotalMinor, ct) ?? 0;
        var amount = Math.Min(claim.Sum(t => t.PriceMinor + (fees.TryGetValue(t.CategoryId, out var i) ? i.UnitFeeMinor : 0)), order.TotalMinor - previous);
        if (amount <= 0) return false;
        var whole = previous == 0 && amount == order.TotalMinor;
        var payment = await db.Payments.Where(p => p.OrderId == orderId && p.Status == PaymentStatus.Approved)
            .OrderByDescending(p => p.CreatedAt).FirstOrDefaultAsync(ct);
        if (payment is not null && payment.Provider == gateway.Name)
        {
            var alreadyGiven = !whole && await gateway.RefundedPartsMinorAsync(orderId, payment.GatewayReference ?? "", ct) is { } parts
                               && parts - previous >= amount;
            if (!alreadyGiven)
            {
                var refund = await GiveBackAsync(order, payment, claim.Select(t => t.Id).ToList(), amount, whole, ct);
                if (!refund.Succeeded)
                {
                    logger.LogError("Repair: the refund of order {OrderId} failed at the gateway: {Error}; retried on the next run", orderId, refund.Error);
                    return false;
                }
                payment.RefundReference = refund.GatewayReference;
            }
        }

        var now = clock.GetUtcNow();
        var ids = claim.Select(t => t.Id).ToList();
        var tickets = await db.Tickets.AsNoTracking().Where(t => t.OrderId == orderId).ToListAsync(ct);
        var cancelled = await db.Events.AsNoTracking().AnyAsync(e => e.Id == order.EventId && e.Status == EventStatus.Cancelled, ct);
        await using var settle = await db.Database.BeginTransactionAsync(ct);
        // The claim is re-taken (its time becomes the credit note's): another repair running meanwhile finds nothing.
        var taken = await db.Tickets.Where(t => ids.Contains(t.Id) && t.Status == TicketStatus.Voided && t.VoidedAt == claimedAt)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.VoidedAt, now), ct);
        if (taken != ids.Count)
        {
            await settle.RollbackAsync(ct);
            return false;
        }
        var (status, creditNote) = await SettleAsync(db, order, tickets, claim, [], amount, whole, payment,
            cancelled ? NotificationKind.EventCancelled : NotificationKind.OrderRefunded, receiptOptions.Value.BookingFeeBasisPoints, now, ct);
        await settle.CommitAsync(ct);
        logger.LogWarning("Repair: the refund of order {OrderId} claimed at {ClaimedAt} settled: {Tickets} ticket(s), {Amount} minor units, credit note {CreditNote}, now {Status}",
            orderId, claimedAt, claim.Count, amount, creditNote, status);
        return true;
    }

    private DomainException NotRefundable() => new(ErrorCodes.OrderNotRefundable, localizer["Error.order_not_refundable"]);
}
