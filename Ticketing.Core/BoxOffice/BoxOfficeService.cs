using System.Net.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Notifications;
using Ticketing.Core.Orders;
using Ticketing.Core.Payments;
using Ticketing.Core.Persistence;
using Ticketing.Core.Seating;

namespace Ticketing.Core.BoxOffice;

/// <summary>
/// Sales at the desk by the event's owner or an Admin: cash, a card terminal or a bank transfer. The order is written
/// (never held: it has no hold to expire) with a Pending payment whose provider is the method, then goes through the
/// same sale transaction as an online payment (<see cref="PaymentCommitter"/>): the seats are taken by the category's
/// conditional update (<c>Sold + Held + n &lt;= Capacity</c>), the tickets numbered, the receipt issued. No seat: the
/// order is Cancelled and 409 <c>sold_out</c> / <c>insufficient_availability</c>. The sale has no buyer account; with an
/// email the tickets are mailed. A reserved-seating category is sold by best available (<see cref="SeatPicker"/>, the rule
/// of online best available): the seats are taken anew in the sale transaction (<c>Status = 'Available'</c>, conditional),
/// so a seat an online fan took meanwhile makes the sale pick again (up to <see cref="SeatAttempts"/> times).
/// </summary>
public sealed class BoxOfficeService(
    IDbContextFactory<TicketingDbContext> dbFactory,
    PaymentCommitter committer,
    OrderService orders,
    SeatPicker picker,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<BoxOfficeService> logger)
{
    private static readonly string[] Methods = Enum.GetNames<BoxOfficeMethod>();
    /// <summary>How many times a sale of seated categories picks its seats again after an online fan took one of them.</summary>
    public const int SeatAttempts = 3;

    public async Task<OrderDto> SellAsync(Guid eventId, Actor actor, BoxOfficeSaleRequest? request, CancellationToken ct = default)
    {
        var (items, buyerName, email) = Validate(request);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ev = await EventAccess.GetManageableAsync(db, eventId, actor, ct);
        if (ev.Status == EventStatus.Cancelled) throw new DomainException(ErrorCodes.EventCancelled, localizer["Error.event_cancelled"]);
        if (ev.Status != EventStatus.Published) throw new DomainException(ErrorCodes.EventNotPublished, localizer["Error.event_not_published"]);
        var performance = await db.Performances.AsNoTracking().Include(p => p.Categories)
            .FirstOrDefaultAsync(p => p.Id == request!.PerformanceId && p.EventId == eventId, ct);
        if (performance is null) throw Invalid("performanceId", "Validation.UnknownPerformance");
        var categories = performance.Categories.ToDictionary(c => c.Id);
        for (var i = 0; i < items.Count; i++)
            if (!categories.ContainsKey(items[i].CategoryId)) throw Invalid($"items[{i}].categoryId", "Validation.UnknownCategory");
        Order order = null!;
        string method = null!;
        for (var attempt = 1; ; attempt++)
        {
            var now = clock.GetUtcNow();
            order = new Order
            {
                Id = Guid.CreateVersion7(), UserId = Guid.Empty, EventId = eventId, PerformanceId = performance.Id,
                // Never held: the sale takes its seats like a payment that arrives after its hold ended.
                Status = OrderStatus.Expired, Currency = categories[items[0].CategoryId].Currency, CreatedAt = now, ExpiresAt = now, ClosedAt = now,
                BuyerName = buyerName,
            };
            // Reserved seating: the best seats side by side, one line a seat (as online); general admission: one line a category.
            var picked = new List<Guid>();
            var lines = new List<OrderItem>();
            foreach (var item in items)
            {
                var c = categories[item.CategoryId];
                if (!c.Seated)
                {
                    lines.Add(Line(order, c, item.Quantity, null));
                    continue;
                }
                var exclude = picked.ToHashSet();
                var seats = await picker.PickAsync(performance.Id, c.Id, item.Quantity, exclude, fresh: true, ct)
                            ?? await picker.PickAsync(performance.Id, c.Id, item.Quantity, exclude, fresh: true, ct, evenAside: true);
                if (seats is null)
                {
                    picker.Release(performance.Id, picked);
                    var open = await db.PerformanceSeats.CountAsync(s => s.PerformanceId == performance.Id && s.CategoryId == c.Id
                                                                          && s.Status == SeatStatus.Available, ct);
                    if (open == 0) throw SoldOutProblem.Exception(localizer);
                    throw new DomainException(ErrorCodes.InsufficientAvailability, localizer["Error.insufficient_availability"],
                        new Dictionary<string, object?> { ["available"] = open, ["categoryId"] = c.Id, ["contiguous"] = false });
                }
                picked.AddRange(seats.Select(s => s.Id));
                lines.AddRange(seats.Select(s => Line(order, c, 1, s)));
            }
            order.Items = lines;
            order.TotalMinor = order.Items.Sum(i => i.UnitPriceMinor * i.Quantity);
            method = request!.Method!.Value.ToString();
            var reference = string.IsNullOrWhiteSpace(request.Reference) ? $"desk-{order.Id:N}" : request.Reference.Trim();
            var payment = new Payment
            {
                Id = Guid.CreateVersion7(), OrderId = order.Id, Provider = method, Status = PaymentStatus.Pending,
                AmountMinor = order.TotalMinor, Currency = order.Currency, CreatedAt = now,
            };
            db.Orders.Add(order);
            db.Payments.Add(payment);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();

            var result = await committer.IssueAsync(new IssueItem(payment.Id, order, new ChargeResult(true, reference, null, null, null),
                OrderStatus.Expired, null, performance.TicketPrefix));
            if (result.Outcome == IssueOutcome.Issued) break; // the seats sold stay aside until the maps show them sold

            picker.Release(performance.Id, picked);
            await db.Payments.Where(p => p.Id == payment.Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, PaymentStatus.Voided), ct);
            await OrderTransitions.AbandonDeskSaleAsync(db, order.Id, ct);
            var available = await db.PriceCategories.AsNoTracking().Where(c => items.Select(i => i.CategoryId).Contains(c.Id))
                .SumAsync(c => c.Capacity - c.Sold - c.Held, ct);
            // A seat picked went to an online fan between the pick and the sale: pick again.
            if (picked.Count > 0 && available > 0 && attempt < SeatAttempts)
            {
                logger.LogInformation("Box-office sale {OrderId} lost a seat to another buyer, picking again (attempt {Attempt})", order.Id, attempt);
                continue;
            }
            if (available <= 0) throw SoldOutProblem.Exception(localizer);
            throw new DomainException(ErrorCodes.InsufficientAvailability, localizer["Error.insufficient_availability"],
                new Dictionary<string, object?> { ["available"] = available });
        }

        var paidAt = clock.GetUtcNow();
        if (email is not null)
        {
            // The buyer has no account: the confirmation goes to the address given at the desk, in the seller's language.
            var buyer = new AppUser { Id = Guid.Empty, Email = email, DisplayName = buyerName, NotificationChannel = NotificationChannel.Email,
                PreferredLanguage = Languages.IsSupported(request.Buyer?.Language) ? request.Buyer!.Language! : System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName };
            var paid = await db.Orders.AsNoTracking().FirstAsync(o => o.Id == order.Id, ct);
            Outbox.Enqueue(db, paid, buyer, NotificationKind.OrderConfirmed, paidAt);
            await db.SaveChangesAsync(ct);
        }
        logger.LogInformation("Box-office sale {OrderId}: {Tickets} ticket(s) of performance {PerformanceId} by {Method}",
            order.Id, order.TotalQuantity, performance.Id, method);
        return await orders.GetAsync(order.Id, actor.UserId, actor.IsAdmin, ct);
    }

    private static OrderItem Line(Order order, PriceCategory c, int quantity, SeatPicker.Seat? seat) => new()
    {
        Id = Guid.CreateVersion7(), OrderId = order.Id, CategoryId = c.Id, CategoryName = c.Name, Quantity = quantity,
        UnitPriceMinor = c.PriceMinor, UnitFeeMinor = 0, VatRateBasisPoints = c.VatRateBasisPoints,
        SeatId = seat?.Id, SeatSection = seat?.Section, SeatRow = seat?.Row, SeatLabel = seat?.Label,
    };

    /// <summary>Per method: the desk's paid (or partly refunded) orders, tickets and revenue for the sales report.</summary>
    public static async Task<IReadOnlyList<BoxOfficeSales>> SummaryAsync(TicketingDbContext db, Guid eventId, CancellationToken ct)
    {
        var rows = await (from o in db.Orders
                          join p in db.Payments on o.Id equals p.OrderId
                          where o.EventId == eventId && (o.Status == OrderStatus.Paid || o.Status == OrderStatus.PartiallyRefunded)
                                && p.Status == PaymentStatus.Approved && Methods.Contains(p.Provider)
                          select new { p.Provider, o.Id, o.TotalMinor }).ToListAsync(ct);
        var tickets = await (from t in db.Tickets
                             join p in db.Payments on t.OrderId equals p.OrderId
                             where t.EventId == eventId && t.Status != Tickets.TicketStatus.Voided && p.Status == PaymentStatus.Approved && Methods.Contains(p.Provider)
                             select new { p.Provider, t.PriceMinor }).ToListAsync(ct);
        return Enum.GetNames<BoxOfficeMethod>().Select(m => new BoxOfficeSales(m, rows.Count(r => r.Provider == m),
            tickets.Count(t => t.Provider == m), tickets.Where(t => t.Provider == m).Sum(t => t.PriceMinor))).ToList();
    }

    private (List<PlaceOrderItem> Items, string BuyerName, string? Email) Validate(BoxOfficeSaleRequest? request)
    {
        var v = new Validator(localizer);
        if (request is null) throw Invalid("body", "Validation.Required");
        v.Require(request.PerformanceId != Guid.Empty, "performanceId", "Validation.Required");
        v.Require(request.Method is not null, "method", "Validation.Required");
        var name = v.Text("buyer.displayName", request.Buyer?.DisplayName, 200, required: true);
        string? email = null;
        if (!string.IsNullOrWhiteSpace(request.Buyer?.Email))
        {
            email = request.Buyer.Email.Trim();
            if (email.Length > 256 || UserText.Check(email) != TextProblem.None || !MailAddress.TryCreate(email, out var parsed) || parsed.Address != email || !email.Contains('.'))
                v.Add("buyer.email", "Validation.Email");
        }
        v.Text("reference", request.Reference, 100);
        OrderShape.Check(v, request.Items);
        v.ThrowIfInvalid();
        var merged = OrderShape.Merge(request.Items!, localizer);
        return (merged, name!.Trim(), email);
    }

    private RequestValidationException Invalid(string field, string key) => new(new Validator(localizer).Add(field, key).Errors);
}
