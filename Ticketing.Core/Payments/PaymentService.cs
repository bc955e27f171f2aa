using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Notifications;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Payments;

/// <summary><c>POST /api/orders/{id}/payment</c>. The card number and CVC only pass through: never stored, never logged.</summary>
public sealed record PayOrderRequest(string? CardNumber, int ExpiryMonth, int ExpiryYear, string? Cvc, string? CardholderName)
{
    public CardDetails ToCard() => new(CardNumber ?? "", ExpiryMonth, ExpiryYear, Cvc ?? "", CardholderName?.Trim() ?? "");
    /// <summary>False for <c>{}</c> (a free order).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasCard => !string.IsNullOrWhiteSpace(CardNumber) || !string.IsNullOrWhiteSpace(Cvc);
    /// <summary>Never print the card.</summary>
    public override string ToString() => "PayOrderRequest { card: redacted }";
}

public sealed record PaymentResultDto(Guid Id, string Status, IReadOnlyList<IssuedTicketDto> Tickets);

/// <summary>
/// Charges a held order exactly once and issues its tickets. A Payment row is committed as Pending BEFORE the gateway
/// is called (so a crash leaves a trace that <see cref="RecoverPendingPaymentsAsync"/> settles); an approval then marks
/// the order paid, moves the seats from held to sold, numbers and inserts the tickets and enqueues the confirmation in
/// ONE transaction. A unique filtered index keeps at most one Pending/Approved payment per order.
/// </summary>
public sealed class PaymentService(
    IDbContextFactory<TicketingDbContext> dbFactory,
    IPaymentGateway gateway,
    PaymentCommitter committer,
    OrderService orders,
    SaleActivity activity,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<PaymentService> logger)
{
    public static readonly TimeSpan RecoveryAge = TimeSpan.FromMinutes(1);

    /// <param name="keyed">The request's <c>Idempotency-Key</c>: its record is written in the sale's transaction.</param>
    public async Task<PaymentResultDto> PayAsync(Guid orderId, Guid buyerId, CardDetails card, CancellationToken ct = default, KeyedWrite? keyed = null)
    {
        activity.Touch();
        var now = clock.GetUtcNow();
        if (CardValidator.Check(card, now) is { } invalid) throw CardError(invalid);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // One read: the order, its lines, its buyer (name on the tickets, where to confirm), the ticket prefix and whether
        // the event was cancelled.
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
        await EnsurePayableAsync(db, order, row.EventCancelled, now, ct);

        var digits = CardValidator.Digits(card.Number);
        var payment = new Payment
        {
            Id = Guid.CreateVersion7(), OrderId = order.Id, Provider = gateway.Name, Status = PaymentStatus.Pending,
            AmountMinor = order.TotalMinor, Currency = order.Currency,
            CardBrand = CardValidator.Brand(digits), CardLast4 = CardValidator.Last4(digits), CreatedAt = now,
        };
        try
        {
            // Committed before the gateway is called (with the other payments arriving meanwhile: one commit).
            await committer.InsertPendingAsync(order.PerformanceId, payment);
        }
        catch (DbUpdateException)
        {
            // Another payment of this order is in flight or approved (the unique filtered index decided).
            var approved = await db.Payments.AsNoTracking().AnyAsync(p => p.OrderId == orderId && p.Status == PaymentStatus.Approved, ct);
            throw approved
                ? new DomainException(ErrorCodes.OrderNotPayable, localizer["Error.order_not_payable"])
                : new DomainException(ErrorCodes.PaymentInProgress, localizer["Error.payment_in_progress"]);
        }

        ChargeResult charge;
        try
        {
            charge = await gateway.ChargeAsync(new ChargeRequest(order.Id, order.TotalMinor, order.Currency, card,
                $"Order {order.Id:N}", payment.Id.ToString("N")), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Unknown outcome: the payment stays Pending and the recovery asks the gateway what happened.
            logger.LogError(ex, "Gateway {Gateway} failed for order {OrderId} (payment {PaymentId}); left Pending for recovery",
                gateway.Name, order.Id, payment.Id);
            throw new DomainException(ErrorCodes.PaymentInProgress, localizer["Error.payment_in_progress"]);
        }

        if (!charge.Approved)
        {
            var code = charge.DeclineCode ?? ErrorCodes.CardDeclined;
            await db.Payments.Where(p => p.Id == payment.Id && p.Status == PaymentStatus.Pending).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Status, PaymentStatus.Declined)
                .SetProperty(p => p.DeclineCode, code)
                .SetProperty(p => p.GatewayReference, charge.GatewayReference)
                .SetProperty(p => p.CompletedAt, clock.GetUtcNow()), ct);
            logger.LogInformation("Payment {PaymentId} of order {OrderId} declined: {DeclineCode}", payment.Id, order.Id, code);
            throw CardError(code);
        }

        var (outcome, issued) = await committer.IssueAsync(
            new IssueItem(payment.Id, order, charge, OrderStatus.Reserved, row.Buyer, TicketPrefix(row.Prefix))
            {
                Keyed = keyed, AnswerOf = keyed is null ? null : tickets => Issued(order.Id, tickets),
            });
        switch (outcome)
        {
            case IssueOutcome.Issued:
                if (logger.IsEnabled(LogLevel.Information))
                    logger.LogInformation("Order {OrderId} paid (payment {PaymentId}, {Quantity} ticket(s))", order.Id, payment.Id, order.TotalQuantity);
                break;
            case IssueOutcome.AlreadySettled:
                break;
            case IssueOutcome.NotCompletable:
                // The hold ended while the card was charged: give the money back.
                await RefundAsync(payment.Id, order, charge, ct);
                throw new DomainException(ErrorCodes.HoldExpired, localizer["Error.hold_expired"]);
        }

        // Just committed by this request: answer from memory, no second read.
        if (outcome == IssueOutcome.Issued) return Issued(order.Id, issued!);
        var paid = await db.Orders.AsNoTracking().Where(o => o.Id == order.Id).Select(o => o.Status).FirstAsync(ct);
        if (paid != OrderStatus.Paid) throw new DomainException(ErrorCodes.OrderNotPayable, localizer["Error.order_not_payable"]);
        return new PaymentResultDto(order.Id, OrderStatus.Paid.ToString(), await TicketsOfAsync(db, order.Id, ct));
    }

    /// <summary>The answer to a payment that has just issued <paramref name="tickets"/>.</summary>
    private static PaymentResultDto Issued(Guid orderId, IReadOnlyList<Ticket> tickets) =>
        new(orderId, OrderStatus.Paid.ToString(), tickets.Select(t =>
            new IssuedTicketDto(t.Id, t.Number, t.CategoryName, t.HolderName, t.PerformanceId, t.Status.ToString(),
            t.SeatId == null ? null : new Seating.SeatRefDto(t.SeatId.Value, t.SeatSection ?? "", t.SeatRow ?? "", t.SeatLabel ?? ""))).ToList());

    /// <summary>
    /// Settles payments left Pending for more than a minute (the process died, or the gateway timed out): asks the
    /// gateway; an approved charge issues the tickets when the order can still be completed (seats still held, or
    /// re-acquirable), else it is refunded; no charge -> Voided; a decline -> Declined.
    /// </summary>
    public async Task<int> RecoverPendingPaymentsAsync(CancellationToken ct = default)
    {
        var cutoff = clock.GetUtcNow() - RecoveryAge;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var pending = await db.Payments.AsNoTracking()
            .Where(p => (p.Status == PaymentStatus.Pending && p.CreatedAt <= cutoff)
                        || (p.Status == PaymentStatus.Refunded && p.RefundReference == null && p.RefundedAt <= cutoff))
            .OrderBy(p => p.CreatedAt).Take(100).ToListAsync(ct);
        var settled = 0;
        foreach (var payment in pending)
        {
            try
            {
                if (await RecoverAsync(db, payment, ct)) settled++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Recovery of payment {PaymentId} (order {OrderId}) failed; retried on the next run", payment.Id, payment.OrderId);
            }
        }
        if (settled > 0) logger.LogInformation("Recovered {Count} pending payment(s)", settled);
        return settled;
    }

    private async Task<bool> RecoverAsync(TicketingDbContext db, Payment payment, CancellationToken ct)
    {
        if (payment.Status == PaymentStatus.Refunded)
            return await CompleteRefundAsync(db, payment.Id, payment.OrderId, payment.GatewayReference ?? "", payment.AmountMinor, payment.Currency, ct);
        var charge = await gateway.FindChargeAsync(payment.OrderId, ct);
        if (charge is null || !charge.Approved)
        {
            var status = charge?.DeclineCode is null ? PaymentStatus.Voided : PaymentStatus.Declined;
            var changed = await db.Payments.Where(p => p.Id == payment.Id && p.Status == PaymentStatus.Pending).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.Status, status)
                .SetProperty(p => p.DeclineCode, charge == null ? null : charge.DeclineCode)
                .SetProperty(p => p.CompletedAt, clock.GetUtcNow()), ct);
            logger.LogInformation("Recovery: payment {PaymentId} of order {OrderId} had no approved charge -> {Status}", payment.Id, payment.OrderId, status);
            return changed == 1;
        }

        var order = await db.Orders.AsNoTracking().Include(o => o.Items).FirstOrDefaultAsync(o => o.Id == payment.OrderId, ct);
        var outcome = IssueOutcome.NotCompletable;
        if (order?.Status is OrderStatus.Reserved or OrderStatus.Expired or OrderStatus.Cancelled)
        {
            var buyer = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == order.UserId, ct);
            var prefix = await db.Performances.AsNoTracking().Where(p => p.Id == order.PerformanceId).Select(p => p.TicketPrefix).FirstAsync(ct);
            outcome = (await committer.IssueBatchAsync([new IssueItem(payment.Id, order, charge, order.Status, buyer, TicketPrefix(prefix))]))[0].Outcome;
        }
        if (outcome == IssueOutcome.Issued)
        {
            logger.LogInformation("Recovery: order {OrderId} completed from approved payment {PaymentId}", payment.OrderId, payment.Id);
            return true;
        }
        return outcome == IssueOutcome.NotCompletable
               && await RefundAsync(payment.Id, new Order { Id = payment.OrderId, TotalMinor = payment.AmountMinor, Currency = payment.Currency }, charge, ct);
    }

    private async Task EnsurePayableAsync(TicketingDbContext db, Order order, bool eventCancelled, DateTimeOffset now, CancellationToken ct)
    {
        switch (order.Status)
        {
            case OrderStatus.Reserved when eventCancelled:
                // A hold that reached the database as its event was being cancelled: released, never charged.
                await orders.CloseHoldAsync(db, order, OrderStatus.Cancelled, now, ct);
                throw new DomainException(ErrorCodes.OrderNotPayable, localizer["Error.event_cancelled"]);
            case OrderStatus.Reserved when order.ExpiresAt > now:
                return;
            case OrderStatus.Reserved:
                // Too late: expire it on the spot and give the seats back.
                await orders.CloseHoldAsync(db, order, OrderStatus.Expired, now, ct);
                throw new DomainException(ErrorCodes.HoldExpired, localizer["Error.hold_expired"]);
            case OrderStatus.Expired:
                throw new DomainException(ErrorCodes.HoldExpired, localizer["Error.hold_expired"]);
            default:
                throw new DomainException(ErrorCodes.OrderNotPayable, localizer["Error.order_not_payable"]);
        }
    }

    /// <summary>
    /// Gives the money of a charge back. The payment is first CLAIMED (Pending -> Refunded, conditional): the ticket
    /// transaction needs it Pending, so a refunded charge can never also issue tickets, and only one caller refunds.
    /// A failed refund puts it back to Pending; a crash after the claim is retried by the recovery (no refund reference).
    /// </summary>
    internal async Task<bool> RefundAsync(Guid paymentId, Order order, ChargeResult charge, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var claimed = await db.Payments.Where(p => p.Id == paymentId && p.Status == PaymentStatus.Pending).ExecuteUpdateAsync(s => s
            .SetProperty(p => p.Status, PaymentStatus.Refunded)
            .SetProperty(p => p.GatewayReference, charge.GatewayReference)
            .SetProperty(p => p.CompletedAt, now)
            .SetProperty(p => p.RefundedAt, now), ct);
        if (claimed == 0) return false;
        return await CompleteRefundAsync(db, paymentId, order.Id, charge.GatewayReference ?? "", order.TotalMinor, order.Currency, ct);
    }

    private async Task<bool> CompleteRefundAsync(TicketingDbContext db, Guid paymentId, Guid orderId, string reference, long amountMinor, string currency, CancellationToken ct)
    {
        RefundResult refund;
        try
        {
            refund = await gateway.RefundAsync(orderId, reference, amountMinor, currency, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Refund of payment {PaymentId} (order {OrderId}) failed; the recovery retries", paymentId, orderId);
            return false;
        }
        if (!refund.Succeeded)
        {
            // Back to Pending: the next recovery asks the gateway again (and may still complete the order).
            logger.LogError("Refund of payment {PaymentId} (order {OrderId}) refused: {Error}", paymentId, orderId, refund.Error);
            await db.Payments.Where(p => p.Id == paymentId && p.Status == PaymentStatus.Refunded && p.RefundReference == null)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, PaymentStatus.Pending).SetProperty(p => p.RefundedAt, (DateTimeOffset?)null), ct);
            return false;
        }
        await db.Payments.Where(p => p.Id == paymentId)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.RefundReference, refund.GatewayReference ?? "refunded"), ct);
        logger.LogWarning("Payment {PaymentId} of order {OrderId} refunded: the order could not be completed", paymentId, orderId);
        return true;
    }

    internal static async Task<IReadOnlyList<IssuedTicketDto>> TicketsOfAsync(TicketingDbContext db, Guid orderId, CancellationToken ct) =>
        await db.Tickets.AsNoTracking().Where(t => t.OrderId == orderId).OrderBy(t => t.Sequence)
            .Select(t => new IssuedTicketDto(t.Id, t.Number, t.CategoryName, t.HolderName, t.PerformanceId, t.Status.ToString(),
                t.SeatId == null ? null : new Seating.SeatRefDto(t.SeatId.Value, t.SeatSection ?? "", t.SeatRow ?? "", t.SeatLabel ?? "")))
            .ToListAsync(ct);

    private static string TicketPrefix(string? prefix) => string.IsNullOrWhiteSpace(prefix) ? "TKT" : prefix;

    private DomainException CardError(string code) => new(code, localizer["Error." + code]);
}
