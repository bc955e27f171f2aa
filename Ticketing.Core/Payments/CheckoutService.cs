using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Notifications;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Payments;

/// <summary><c>POST /api/orders/{id}/checkout</c>: where to send the fan to pay.</summary>
public sealed record CheckoutStartDto(string Provider, string SessionId, string RedirectUrl);

public enum SettleOutcome { Paid, AlreadyProcessed, Refunded, Closed, Ignored }

/// <summary>
/// The hosted payment flow. <see cref="StartAsync"/> opens the provider's page for a held order (extending the hold);
/// <see cref="SettlePaidAsync"/> is what a "paid" webhook (or the reconciliation) does: the event id and a Pending payment
/// are committed in ONE transaction (the event id is the primary key: an event is processed exactly once), then the
/// payment goes through <see cref="PaymentCommitter"/>, the one place an order becomes Paid. A payment whose order can no
/// longer be completed (hold ended and seats gone) is refunded and the buyer told.
/// </summary>
public sealed class CheckoutService(
    IDbContextFactory<TicketingDbContext> dbFactory,
    IHostedCheckout provider,
    PaymentCommitter committer,
    PaymentService payments,
    OrderService orders,
    IOptions<OrderOptions> orderOptions,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<CheckoutService> logger)
{
    /// <summary>An open session older than this without a webhook is asked about by the reconciliation.</summary>
    public static readonly TimeSpan ReconcileAfter = TimeSpan.FromMinutes(2);

    public string ProviderName => provider.Name;

    public async Task<CheckoutStartDto> StartAsync(Guid orderId, Guid buyerId, string returnBaseUrl, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await (
                from o in db.Orders.AsNoTracking()
                where o.Id == orderId && o.UserId == buyerId
                join u in db.Users.AsNoTracking() on o.UserId equals u.Id into buyers
                from u in buyers.DefaultIfEmpty()
                join p in db.Performances on o.PerformanceId equals p.Id
                select new { Order = o, Items = o.Items.ToList(), Email = u == null ? null : u.Email, Language = u == null ? null : u.PreferredLanguage,
                    Title = p.Event!.Title, EventCancelled = p.Event!.Status == EventStatus.Cancelled })
            .FirstOrDefaultAsync(ct) ?? throw new NotFoundException(localizer["Error.not_found"]);
        var order = row.Order;
        order.Items = row.Items;
        switch (order.Status)
        {
            case OrderStatus.Reserved when row.EventCancelled:
                await orders.CloseHoldAsync(db, order, OrderStatus.Cancelled, now, ct);
                throw new DomainException(ErrorCodes.OrderNotPayable, localizer["Error.event_cancelled"]);
            case OrderStatus.Reserved when order.ExpiresAt > now:
                break;
            case OrderStatus.Reserved or OrderStatus.Expired:
                throw new DomainException(ErrorCodes.HoldExpired, localizer["Error.hold_expired"]);
            default:
                throw new DomainException(ErrorCodes.OrderNotPayable, localizer["Error.order_not_payable"]);
        }
        if (order.TotalMinor == 0)
            throw new DomainException(ErrorCodes.OrderNotPayable, localizer["Error.free_order_no_checkout"]);

        // The page already opened for this order (a second click, a retry): the same page again.
        var open = await db.CheckoutSessions.AsNoTracking()
            .FirstOrDefaultAsync(s => s.OrderId == orderId && s.Status == CheckoutSessionStatus.Open, ct);
        if (open is not null && open.ExpiresAt > now) return new CheckoutStartDto(open.Provider, open.Id, open.RedirectUrl);

        // The fan leaves for the hosted page: the hold now lasts CheckoutHoldMinutes (never longer in all).
        var options = orderOptions.Value;
        var extended = Min(now.AddMinutes(options.CheckoutHoldMinutes), order.CreatedAt.AddMinutes(options.HoldMinutes + options.CheckoutHoldMinutes));
        if (extended > order.ExpiresAt)
        {
            var moved = await db.Orders.Where(o => o.Id == orderId && o.Status == OrderStatus.Reserved && o.ExpiresAt > now)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.ExpiresAt, extended), ct);
            if (moved == 0) throw new DomainException(ErrorCodes.HoldExpired, localizer["Error.hold_expired"]);
        }
        else extended = order.ExpiresAt;

        var hosted = await provider.CreateAsync(new HostedSessionRequest(order.Id, order.TotalMinor, order.Currency,
            row.Title, extended, returnBaseUrl.TrimEnd('/'), row.Email, row.Language ?? "en"), ct);
        db.CheckoutSessions.Add(new CheckoutSession
        {
            Id = hosted.Id, OrderId = order.Id, Provider = provider.Name, Status = CheckoutSessionStatus.Open,
            AmountMinor = order.TotalMinor, Currency = order.Currency, RedirectUrl = hosted.RedirectUrl, CreatedAt = now, ExpiresAt = extended,
        });
        try
        {
            if (open is not null)
                await db.CheckoutSessions.Where(s => s.Id == open.Id && s.Status == CheckoutSessionStatus.Open)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, CheckoutSessionStatus.Expired).SetProperty(x => x.ClosedAt, now), ct);
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two clicks at once: the other page won; close ours and answer theirs.
            await provider.ExpireAsync(hosted.Id, ct);
            await using var again = await dbFactory.CreateDbContextAsync(ct);
            var other = await again.CheckoutSessions.AsNoTracking()
                .FirstAsync(s => s.OrderId == orderId && s.Status == CheckoutSessionStatus.Open, ct);
            return new CheckoutStartDto(other.Provider, other.Id, other.RedirectUrl);
        }
        logger.LogInformation("Checkout session {SessionId} opened for order {OrderId} ({Provider}); hold until {ExpiresAt}",
            hosted.Id, order.Id, provider.Name, extended);
        return new CheckoutStartDto(provider.Name, hosted.Id, hosted.RedirectUrl);
    }

    /// <summary>
    /// A session was paid (webhook <c>checkout.session.completed</c>, or the reconciliation). Exactly once per event id;
    /// a second event about the same payment changes nothing. <paramref name="amountMinor"/> in the currency's minor units (Stripe's).
    /// </summary>
    public async Task<SettleOutcome> SettlePaidAsync(string eventId, string eventType, string sessionId, long amountMinor, string? currency,
        string? paymentReference, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var session = await db.CheckoutSessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == sessionId, ct);
        if (session is null)
        {
            logger.LogWarning("Webhook {EventId} ({EventType}) for unknown checkout session {SessionId}: ignored", eventId, eventType, sessionId);
            return SettleOutcome.Ignored;
        }
        if (Currencies.ToCurrencyMinorUnits(session.AmountMinor, session.Currency) != amountMinor || !string.Equals(session.Currency, currency, StringComparison.OrdinalIgnoreCase))
        {
            logger.LogError("Webhook {EventId} for session {SessionId}: amount {Amount} {Currency} differs from the order's {Expected} {ExpectedCurrency}; ignored",
                eventId, sessionId, amountMinor, currency, session.AmountMinor, session.Currency);
            return SettleOutcome.Ignored;
        }
        var row = await (
                from o in db.Orders.AsNoTracking()
                where o.Id == session.OrderId
                join u in db.Users.AsNoTracking() on o.UserId equals u.Id into buyers
                from u in buyers.DefaultIfEmpty()
                join p in db.Performances on o.PerformanceId equals p.Id
                select new { Order = o, Items = o.Items.ToList(), Buyer = u, Prefix = p.TicketPrefix })
            .FirstAsync(ct);
        var order = row.Order;
        order.Items = row.Items;

        // The event id and the Pending payment: one transaction. A replayed event fails on the event's primary key, a
        // second event about an already paid order on the one-active-payment-per-order index.
        var payment = new Payment
        {
            Id = Guid.CreateVersion7(), OrderId = order.Id, Provider = session.Provider, Status = PaymentStatus.Pending,
            AmountMinor = session.AmountMinor, Currency = session.Currency, GatewayReference = paymentReference, CreatedAt = now,
        };
        db.WebhookEvents.Add(new WebhookEvent { Id = eventId, Type = eventType, ProcessedAt = now });
        db.Payments.Add(payment);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            if (!await db.WebhookEvents.AnyAsync(e => e.Id == eventId, ct))
            {
                // Another event already carries this payment: remember this one too (a conflict here is a parallel duplicate).
                db.WebhookEvents.Add(new WebhookEvent { Id = eventId, Type = eventType, ProcessedAt = now });
                try { await db.SaveChangesAsync(ct); }
                catch (DbUpdateException) { logger.LogDebug("Webhook {EventId} recorded by a parallel delivery", eventId); }
            }
            logger.LogInformation("Webhook {EventId} ({EventType}) for order {OrderId}: already processed", eventId, eventType, order.Id);
            return SettleOutcome.AlreadyProcessed;
        }
        await db.CheckoutSessions.Where(s => s.Id == sessionId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, CheckoutSessionStatus.Completed).SetProperty(x => x.ClosedAt, now), ct);

        var charge = new ChargeResult(true, paymentReference, null, null, null);
        var outcome = IssueOutcome.NotCompletable;
        // Paid after the hold ended: the committer re-acquires the seats if they remain.
        if (order.Status is OrderStatus.Reserved or OrderStatus.Expired or OrderStatus.Cancelled)
            outcome = (await committer.IssueAsync(new IssueItem(payment.Id, order, charge, order.Status, row.Buyer, TicketPrefixOf(row.Prefix)))).Outcome;
        switch (outcome)
        {
            case IssueOutcome.Issued:
                logger.LogInformation("Order {OrderId} paid through checkout session {SessionId} (event {EventId}, payment {PaymentId})",
                    order.Id, sessionId, eventId, payment.Id);
                return SettleOutcome.Paid;
            case IssueOutcome.AlreadySettled:
                return SettleOutcome.AlreadyProcessed;
            default:
                // The money came but the seats are gone (or the order was refunded meanwhile): give it back, tell the buyer.
                var refunded = await payments.RefundAsync(payment.Id, new Order { Id = order.Id, TotalMinor = session.AmountMinor, Currency = session.Currency }, charge, ct);
                await using (var mail = await dbFactory.CreateDbContextAsync(ct))
                {
                    // A guest order's buyer is the address given at checkout (Guests/GuestBuyers).
                    if ((row.Buyer ?? (await Guests.GuestBuyers.ForAsync(mail, [order]))?.GetValueOrDefault(order.Id)) is { } buyer)
                    {
                        Outbox.Enqueue(mail, order, buyer, NotificationKind.OrderRefunded, now);
                        await mail.SaveChangesAsync(ct);
                    }
                }
                logger.LogWarning("Order {OrderId} paid through session {SessionId} after its seats were gone: refunded ({Refunded})",
                    order.Id, sessionId, refunded);
                return SettleOutcome.Refunded;
        }
    }

    /// <summary>The provider closed the page unpaid (<c>checkout.session.expired</c>): the session is closed; the hold runs out on its own.</summary>
    public async Task<SettleOutcome> MarkExpiredAsync(string eventId, string eventType, string sessionId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.WebhookEvents.Add(new WebhookEvent { Id = eventId, Type = eventType, ProcessedAt = now });
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { return SettleOutcome.AlreadyProcessed; }
        // Out of order (expired after completed) changes nothing: only an Open session closes.
        var closed = await db.CheckoutSessions.Where(s => s.Id == sessionId && s.Status == CheckoutSessionStatus.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, CheckoutSessionStatus.Expired).SetProperty(x => x.ClosedAt, now), ct);
        return closed == 1 ? SettleOutcome.Closed : SettleOutcome.Ignored;
    }

    /// <summary>
    /// Open sessions whose webhook never came: asks the provider. Paid -> settled as the webhook would have (event id
    /// <c>reconcile:{session}</c>); expired -> closed; still open although the hold ended -> expired at the provider.
    /// </summary>
    public async Task<int> ReconcileAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var cutoff = now - ReconcileAfter;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var open = await (
                from s in db.CheckoutSessions.AsNoTracking()
                where s.Status == CheckoutSessionStatus.Open && s.CreatedAt <= cutoff
                join o in db.Orders on s.OrderId equals o.Id
                orderby s.CreatedAt
                select new { Session = s, o.Status, o.ExpiresAt })
            .Take(100).ToListAsync(ct);
        var settled = 0;
        foreach (var item in open)
        {
            var session = item.Session;
            try
            {
                var state = await provider.GetAsync(session.Id, ct);
                switch (state?.State)
                {
                    case HostedSessionState.Paid:
                        await SettlePaidAsync("reconcile:" + session.Id, "reconciliation", session.Id, state.AmountMinor, state.Currency, state.PaymentReference, ct);
                        settled++;
                        break;
                    case HostedSessionState.Expired or null:
                        await CloseAsync(db, session.Id, now, ct);
                        settled++;
                        break;
                    case HostedSessionState.Open when item.Status != OrderStatus.Reserved || item.ExpiresAt <= now:
                        // The hold ended: close the page so that nobody pays for seats that are no longer held.
                        if (await provider.ExpireAsync(session.Id, ct)) await CloseAsync(db, session.Id, now, ct);
                        settled++;
                        break;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Reconciliation of checkout session {SessionId} (order {OrderId}) failed; retried on the next run", session.Id, session.OrderId);
            }
        }
        if (settled > 0) logger.LogInformation("Reconciled {Count} checkout session(s)", settled);
        return settled;
    }

    private static Task<int> CloseAsync(TicketingDbContext db, string sessionId, DateTimeOffset now, CancellationToken ct) =>
        db.CheckoutSessions.Where(s => s.Id == sessionId && s.Status == CheckoutSessionStatus.Open)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, CheckoutSessionStatus.Expired).SetProperty(x => x.ClosedAt, now), ct);

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static string TicketPrefixOf(string? prefix) => string.IsNullOrWhiteSpace(prefix) ? "TKT" : prefix;
}
