using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Payments;

/// <summary>
/// <c>POST /api/orders/{id}/payment {}</c> for an order whose total is 0: no gateway, no card. A payment of 0 (provider
/// "free") goes through <see cref="PaymentCommitter"/> like any other, so the tickets, the seats and the confirmation
/// follow the same single path. An order with something to pay answers 400 invalid_card (a card, or the hosted page).
/// </summary>
public sealed class FreeOrderPayment(
    IDbContextFactory<TicketingDbContext> dbFactory,
    PaymentCommitter committer,
    OrderService orders,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<FreeOrderPayment> logger)
{
    public const string Provider = "free";

    public async Task<PaymentResultDto> PayAsync(Guid orderId, Guid buyerId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await (
                from o in db.Orders.AsNoTracking()
                where o.Id == orderId && o.UserId == buyerId
                join u in db.Users.AsNoTracking() on o.UserId equals u.Id into buyers
                from u in buyers.DefaultIfEmpty()
                join p in db.Performances on o.PerformanceId equals p.Id
                select new { Order = o, Items = o.Items.ToList(), Buyer = u, Prefix = p.TicketPrefix, EventCancelled = p.Event!.Status == EventStatus.Cancelled })
            .FirstOrDefaultAsync(ct) ?? throw new NotFoundException(localizer["Error.not_found"]);
        var order = row.Order;
        order.Items = row.Items;
        if (order.Status == OrderStatus.Paid && order.TotalMinor == 0)
            return new PaymentResultDto(order.Id, OrderStatus.Paid.ToString(), await PaymentService.TicketsOfAsync(db, order.Id, ct));
        switch (order.Status)
        {
            case OrderStatus.Reserved when row.EventCancelled:
                await orders.CloseHoldAsync(db, order, OrderStatus.Cancelled, now, ct);
                throw new DomainException(ErrorCodes.OrderNotPayable, localizer["Error.event_cancelled"]);
            case OrderStatus.Reserved when order.ExpiresAt > now:
                break;
            case OrderStatus.Reserved:
                await orders.CloseHoldAsync(db, order, OrderStatus.Expired, now, ct);
                throw new DomainException(ErrorCodes.HoldExpired, localizer["Error.hold_expired"]);
            case OrderStatus.Expired:
                throw new DomainException(ErrorCodes.HoldExpired, localizer["Error.hold_expired"]);
            default:
                throw new DomainException(ErrorCodes.OrderNotPayable, localizer["Error.order_not_payable"]);
        }
        if (order.TotalMinor != 0) throw new DomainException(ErrorCodes.InvalidCard, localizer["Error.invalid_card"]);

        var payment = new Payment
        {
            Id = Guid.CreateVersion7(), OrderId = order.Id, Provider = Provider, Status = PaymentStatus.Pending,
            AmountMinor = 0, Currency = order.Currency, CreatedAt = now,
        };
        try
        {
            await committer.InsertPendingAsync(order.PerformanceId, payment);
        }
        catch (DbUpdateException)
        {
            throw new DomainException(ErrorCodes.PaymentInProgress, localizer["Error.payment_in_progress"]);
        }
        var charge = new ChargeResult(true, "free_" + order.Id.ToString("N"), null, null, null);
        var (outcome, issued) = await committer.IssueAsync(new IssueItem(payment.Id, order, charge, OrderStatus.Reserved, row.Buyer,
            string.IsNullOrWhiteSpace(row.Prefix) ? "TKT" : row.Prefix));
        if (outcome == IssueOutcome.NotCompletable)
        {
            await db.Payments.Where(p => p.Id == payment.Id && p.Status == PaymentStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, PaymentStatus.Voided).SetProperty(p => p.CompletedAt, now), ct);
            throw new DomainException(ErrorCodes.HoldExpired, localizer["Error.hold_expired"]);
        }
        logger.LogInformation("Free order {OrderId} confirmed (payment {PaymentId})", order.Id, payment.Id);
        if (outcome == IssueOutcome.Issued)
            return new PaymentResultDto(order.Id, OrderStatus.Paid.ToString(), issued!.Select(t =>
                new IssuedTicketDto(t.Id, t.Number, t.CategoryName, t.HolderName, t.PerformanceId, t.Status.ToString(),
                t.SeatId == null ? null : new Seating.SeatRefDto(t.SeatId.Value, t.SeatSection ?? "", t.SeatRow ?? "", t.SeatLabel ?? ""))).ToList());
        return new PaymentResultDto(order.Id, OrderStatus.Paid.ToString(), await PaymentService.TicketsOfAsync(db, order.Id, ct));
    }
}
