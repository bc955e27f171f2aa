using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Inventory;
using Ticketing.Core.Payments;
using Ticketing.Core.Persistence;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Orders;

/// <summary>
/// Holds: seats are taken by ONE atomic conditional UPDATE per category (<c>WHERE Sold + Held + n &lt;= Capacity</c>)
/// inside the transaction that inserts the order, never read-then-write; concurrent holds of a performance share that
/// transaction (<see cref="HoldCommitter"/>). Releases and expiries give the seats back
/// exactly once (conditional update of the order's status first).
/// </summary>
public sealed class OrderService(
    IDbContextFactory<TicketingDbContext> dbFactory,
    SoldOutCache soldOut,
    SeatInventory seats,
    OnSaleCache onSale,
    HoldCommitter holds,
    Codes.OrderCodes codes,
    Seating.SeatHolds seatHolds,
    SaleActivity activity,
    IOptions<OrderOptions> options,
    IOptions<Accounts.AuthOptions> auth,
    IOptions<Receipts.ReceiptOptions> receipts,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<OrderService> logger)
{
    /// <summary>More than this in one line or in one order is not a real purchase (<see cref="OrderShape.MaxQuantity"/>).</summary>
    public const int AbsurdQuantity = OrderShape.MaxQuantity;

    /// <param name="guest">
    /// A guest order (<see cref="Guests.GuestCheckoutService"/>): <paramref name="userId"/> is the address's
    /// <see cref="Guests.GuestKey"/>; the same hold, measured against the address's allowance.
    /// </param>
    /// <param name="keyed">
    /// The request's <c>Idempotency-Key</c>: its record is written in the hold's transaction (general admission; a hold of
    /// chosen seats leaves <see cref="KeyedWrite.Saved"/> false and its caller saves the answer after the commit).
    /// </param>
    public async Task<OrderDto> PlaceAsync(Guid userId, PlaceOrderRequest request, CancellationToken ct = default, Guests.GuestHold? guest = null,
        KeyedWrite? keyed = null)
    {
        // Reserved seating: a request naming seats has its own shape (Seating/SeatHolds).
        var items = request?.Seats is { Count: > 0 } ? Seating.SeatHolds.CheckShape(request, localizer) : ValidateShape(request);
        // Flash-sale fast path: a category seen sold out a moment ago is answered without touching the database.
        foreach (var item in items)
        {
            if (soldOut.IsSoldOutOrBeingRechecked(item.CategoryId)) throw SoldOutProblem.Exception(localizer);
        }

        if (auth.Value.RequireConfirmedEmail && guest is null)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            await Accounts.EmailConfirmationService.EnsureConfirmedAsync(db, auth.Value, userId, localizer, ct);
        }

        activity.Touch();
        // Only what a hold needs (not the event's descriptions, nor the seat counters), remembered a moment for the
        // other holds of an on-sale.
        var performance = await onSale.GetAsync(request!.PerformanceId, ct);
        if (performance?.Event is null)
            throw Invalid("performanceId", "Validation.UnknownPerformance");
        var ev = performance.Event;
        for (var i = 0; i < (request.Items?.Count ?? 0); i++)
        {
            if (performance.Categories.All(c => c.Id != request.Items![i].CategoryId))
                throw Invalid($"items[{i}].categoryId", "Validation.UnknownCategory");
        }

        var now = clock.GetUtcNow();
        EnsureStatus(ev);
        // Reserved seating: chosen seats, and lines of seated categories (best available), are held seat by seat.
        var seating = request.Seats is { Count: > 0 } || items.Any(i => performance.Categories.Any(c => c.Id == i.CategoryId && c.Seated))
            ? await seatHolds.PrepareAsync(request, performance, items, ct) : null;
        if (seating is not null) items = seating.Lines;
        // Presales and discounts, on the final lines (chosen seats included; no database read without a code nor hidden category).
        var applied = await codes.CheckAsync(performance, items, request.AccessCode, request.PromoCode, now, ct);
        EnsureOnSale(ev, performance, now, presale: applied.Access is not null);
        var total = items.Sum(i => i.Quantity);
        if (total > ev.MaxTicketsPerOrder)
            throw new DomainException(ErrorCodes.PurchaseLimitExceeded, localizer["Error.purchase_limit_exceeded"],
                new Dictionary<string, object?> { ["maxTicketsPerOrder"] = ev.MaxTicketsPerOrder });

        var caps = CapsOf(ev);
        // A guest cannot be taken back to a running hold it has no link to: its holds are limited by the caps alone.
        if (guest is not null) caps = caps with { OneHoldPerPerformance = false };
        if (total > caps.TicketsPerEvent || items.Any(i => i.Quantity > caps.TicketsPerCategory))
            throw AccountLimitExceeded(caps);

        var categories = performance.Categories.ToDictionary(c => c.Id);
        var order = new Order
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            EventId = ev.Id,
            PerformanceId = performance.Id,
            Status = OrderStatus.Reserved,
            Currency = categories[items[0].CategoryId].Currency,
            CreatedAt = now,
            ExpiresAt = now.AddMinutes(options.Value.HoldMinutes),
            Items = items.Select(i => new OrderItem
            {
                Id = Guid.CreateVersion7(),
                CategoryId = i.CategoryId,
                CategoryName = categories[i.CategoryId].Name,
                Quantity = i.Quantity,
                UnitPriceMinor = categories[i.CategoryId].PriceMinor,
                UnitFeeMinor = ev.BookingFeeMinor,
                VatRateBasisPoints = categories[i.CategoryId].VatRateBasisPoints,
                UnitDiscountMinor = Codes.OrderCodes.UnitDiscount(applied.Promo, i.CategoryId, categories[i.CategoryId].PriceMinor,
                    categories[i.CategoryId].Currency),
            }).ToList(),
        };
        order.DiscountMinor = order.Items.Sum(i => i.UnitDiscountMinor * i.Quantity);
        order.PromoCode = applied.Promo?.Code;
        order.TotalMinor = order.Items.Sum(i => (i.UnitNetPriceMinor + i.UnitFeeMinor) * i.Quantity);
        guest?.Apply(order);

        // The codes' uses are counted first (exactly: a conditional update per code), given back if the hold is not written.
        await codes.ClaimAsync(applied, order, now, ct);
        // General admission: the answer is known before the write (nothing of it is decided by the commit), so the key's
        // record goes with the hold. Seats are assigned by the seat hold itself: its answer is read after it.
        var answer = seating is null ? ToDto(order, ev.Title, performance, receipts.Value.BookingFeeBasisPoints) : null;
        // Written with the other holds of this performance that arrive meanwhile: one transaction, one hot-row update.
        HoldOutcome held;
        try
        {
            held = seating is null ? await holds.HoldAsync(order, caps, guest?.Subject, keyed is null ? null : (keyed, answer!))
                : await seatHolds.HoldAsync(order, caps, seating, ct, guest?.Subject);
        }
        catch when (applied.Any)
        {
            await codes.GiveBackAsync(order.Id);
            throw;
        }
        if (!held.Held && applied.Any) await codes.GiveBackAsync(order.Id);
        if (held.RunningOrderId is { } running)
        {
            logger.LogInformation("Hold refused: account {UserId} already holds performance {PerformanceId} with order {OrderId}",
                userId, performance.Id, running);
            throw new DomainException(ErrorCodes.HoldAlreadyActive, localizer["Error.hold_already_active"],
                new Dictionary<string, object?> { ["orderId"] = running });
        }
        if (held.AccountLimit)
        {
            logger.LogInformation("Hold refused: account {UserId} is at its caps for event {EventId}", userId, ev.Id);
            throw AccountLimitExceeded(caps);
        }
        if (!held.Held)
        {
            if (held.Available <= 0) throw SoldOutProblem.Exception(localizer);
            throw new DomainException(ErrorCodes.InsufficientAvailability, localizer["Error.insufficient_availability"],
                new Dictionary<string, object?> { ["available"] = held.Available, ["categoryId"] = held.CategoryId });
        }

        if (logger.IsEnabled(LogLevel.Information))
            logger.LogInformation("Order {OrderId} holds {Quantity} seat(s) of performance {PerformanceId} until {ExpiresAt}",
            order.Id, total, performance.Id, order.ExpiresAt);
        return answer ?? ToDto(order, ev.Title, performance, receipts.Value.BookingFeeBasisPoints);
    }

    /// <summary>Releases a Reserved hold of the buyer (idempotent: an already released or expired hold answers the same).</summary>
    public async Task ReleaseAsync(Guid orderId, Guid userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().Include(o => o.Items)
                        .FirstOrDefaultAsync(o => o.Id == orderId && o.UserId == userId, ct)
                    ?? throw new NotFoundException(localizer["Error.not_found"]);
        if (order.Status is OrderStatus.Cancelled or OrderStatus.Expired) return;
        if (order.Status != OrderStatus.Reserved)
            throw new DomainException(ErrorCodes.OrderNotReleasable, localizer["Error.order_not_releasable"]);
        if (await db.Payments.AnyAsync(p => p.OrderId == orderId && p.Status == PaymentStatus.Pending, ct))
            throw new DomainException(ErrorCodes.PaymentInProgress, localizer["Error.payment_in_progress"]);
        if (await CloseHoldAsync(db, order, OrderStatus.Cancelled, clock.GetUtcNow(), ct))
            logger.LogInformation("Order {OrderId} released by its buyer", orderId);
        else
        {
            var status = await db.Orders.Where(o => o.Id == orderId).Select(o => o.Status).FirstAsync(ct);
            if (status is not (OrderStatus.Cancelled or OrderStatus.Expired))
                throw new DomainException(ErrorCodes.OrderNotReleasable, localizer["Error.order_not_releasable"]);
        }
    }

    /// <summary>Flips Reserved orders past their expiry to Expired and gives their seats back, each exactly once.</summary>
    public async Task<int> ExpireHoldsAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        const int batch = 200;
        var expired = 0;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        while (true)
        {
            // A hold whose payment is in flight is left to the payment (or to the recovery, which settles it).
            var due = await db.Orders.AsNoTracking().Include(o => o.Items)
                .Where(o => o.Status == OrderStatus.Reserved && o.ExpiresAt <= now
                            && !db.Payments.Any(p => p.OrderId == o.Id && p.Status == PaymentStatus.Pending))
                .OrderBy(o => o.ExpiresAt).Take(batch).ToListAsync(ct);
            foreach (var order in due)
            {
                if (await CloseHoldAsync(db, order, OrderStatus.Expired, now, ct)) expired++;
            }
            if (due.Count < batch) break;
        }
        if (expired > 0) logger.LogInformation("Expired {Count} hold(s)", expired);
        var orphans = await Codes.CodeUses.GiveBackOrphansAsync(db, now, ct);
        if (orphans > 0) logger.LogWarning("Gave back {Count} code use(s) of holds never written", orphans);
        return expired;
    }

    /// <summary>Reserved -> <paramref name="to"/> and Held -= n, in one transaction, only if the order is still Reserved.</summary>
    internal async Task<bool> CloseHoldAsync(TicketingDbContext db, Order order, OrderStatus to, DateTimeOffset now, CancellationToken ct)
    {
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            if (!await OrderTransitions.CloseHoldAsync(db, order.Id, to, now, ct)) return false;
            // A resale order holds a listing, not seats: the listing goes back on sale.
            if (order.ResaleListingId is { } listingId) await Resale.ResaleService.ReopenAsync(db, listingId, order.Id, ct);
            else await seats.ReleaseAsync(db, order, ct);
            await Codes.CodeUses.GiveBackAsync(db, order.Id, ct);
            await tx.CommitAsync(ct);
        }
        return true;
    }

    /// <summary>The buyer, an Admin, or the owner of the event sees the order; anyone else gets 404.</summary>
    public async Task<OrderDto> GetAsync(Guid orderId, Guid userId, bool isAdmin, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var order = await db.Orders.AsNoTracking().Include(o => o.Items).FirstOrDefaultAsync(o => o.Id == orderId, ct)
                    ?? throw new NotFoundException(localizer["Error.not_found"]);
        var performance = await db.Performances.AsNoTracking().Include(p => p.Event).FirstAsync(p => p.Id == order.PerformanceId, ct);
        if (order.UserId != userId && !isAdmin && performance.Event!.OwnerId != userId
            && !(Guests.GuestKey.Is(order.UserId) && (await Tickets.TicketHolder.LoadAsync(db, userId, ct)).GuestId == order.UserId))
            throw new NotFoundException(localizer["Error.not_found"]);
        // A ticket the buyer passed on is the recipient's: the buyer sees the voided one, not its replacement.
        var buyerView = !isAdmin && performance.Event!.OwnerId != userId;
        var tickets = await db.Tickets.AsNoTracking().Where(t => t.OrderId == orderId && (!buyerView || t.TransferredFromId == null)).OrderBy(t => t.Sequence)
            .Select(t => new IssuedTicketDto(t.Id, t.Number, t.CategoryName, t.HolderName, t.PerformanceId, t.Status.ToString(),
                t.SeatId == null ? null : new Seating.SeatRefDto(t.SeatId.Value, t.SeatSection ?? "", t.SeatRow ?? "", t.SeatLabel ?? "")))
            .ToListAsync(ct);
        var documents = await db.Receipts.AsNoTracking().Where(r => r.OrderId == orderId).OrderBy(r => r.IssuedAt).ThenBy(r => r.Sequence)
            .Select(r => new { r.Kind, r.Number }).ToListAsync(ct);
        return ToDto(order, performance.Event!.Title, performance, receipts.Value.BookingFeeBasisPoints) with
        {
            Tickets = tickets,
            ReceiptNumber = documents.FirstOrDefault(d => d.Kind == Receipts.ReceiptKind.Receipt)?.Number,
            CreditNoteNumbers = documents.Where(d => d.Kind == Receipts.ReceiptKind.CreditNote).Select(d => d.Number).ToList(),
        };
    }

    /// <summary>Own orders, newest first; an Admin sees everyone's (or one user's with <paramref name="filterUserId"/>).</summary>
    public async Task<PagedResult<OrderDto>> ListAsync(Guid userId, bool isAdmin, Guid? filterUserId, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Orders.AsNoTracking();
        if (!isAdmin)
        {
            // With a confirmed address, the guest orders placed with it are the account's too (claimed).
            var guest = (await Tickets.TicketHolder.LoadAsync(db, userId, ct)).GuestId;
            query = guest is { } g ? query.Where(o => o.UserId == userId || o.UserId == g) : query.Where(o => o.UserId == userId);
        }
        else if (filterUserId is { } f) query = query.Where(o => o.UserId == f);
        var total = await query.CountAsync(ct);
        var orders = await query.OrderByDescending(o => o.CreatedAt).Skip(page.Skip).Take(page.PageSize)
            .Include(o => o.Items).ToListAsync(ct);
        var performanceIds = orders.Select(o => o.PerformanceId).Distinct().ToList();
        var performances = await db.Performances.AsNoTracking().Include(p => p.Event)
            .Where(p => performanceIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var items = orders.Select(o => ToDto(o, performances[o.PerformanceId].Event!.Title, performances[o.PerformanceId], receipts.Value.BookingFeeBasisPoints)).ToList();
        return new PagedResult<OrderDto>(items, page.Page, page.PageSize, total);
    }

    /// <summary>Categories, prices and live availability of one performance, for the booking panel.</summary>
    public Task<BookingOptions?> GetBookingOptionsAsync(Guid performanceId, CancellationToken ct = default) =>
        GetBookingOptionsAsync(performanceId, null, ct);

    /// <summary>
    /// The booking panel's options seen through an access code: the presale-only categories it covers, and on sale before the
    /// opening during the code's window. A code that cannot be used: 409 access_code_invalid (with its reason).
    /// </summary>
    public async Task<BookingOptions?> GetBookingOptionsAsync(Guid performanceId, string? accessCode, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var performance = await db.Performances.AsNoTracking().Include(p => p.Event).Include(p => p.Categories)
            .FirstOrDefaultAsync(p => p.Id == performanceId, ct);
        if (performance?.Event is null) return null;
        var now = clock.GetUtcNow();
        var code = string.IsNullOrWhiteSpace(accessCode) ? null : await codes.FindAccessCodeAsync(performance.EventId, accessCode, now, ct);
        string? notOnSale = null;
        try { EnsureOnSale(performance.Event, performance, now, presale: code is not null); }
        catch (DomainException e) { notOnSale = e.Code; }
        return new BookingOptions(performance.Id, performance.EventId, performance.Event.Title, notOnSale is null, notOnSale,
            performance.StartsAt, performance.SalesOpenAt, performance.Event.MaxTicketsPerOrder,
            performance.Categories.Where(c => code is null ? !c.PresaleOnly : code.Covers(c.Id)).OrderBy(c => c.SortOrder).ThenByDescending(c => c.PriceMinor)
                .Select(c => new BookingCategory(c.Id, c.Name, c.PriceMinor, c.Currency, c.Available)).ToList());
    }

    private List<PlaceOrderItem> ValidateShape(PlaceOrderRequest? request)
    {
        var v = new Validator(localizer);
        if (request is null) throw Invalid("body", "Validation.Required");
        v.Require(request.PerformanceId != Guid.Empty, "performanceId", "Validation.Required");
        OrderShape.Check(v, request.Items);
        v.ThrowIfInvalid();
        // The same category twice is one line.
        return OrderShape.Merge(request.Items!, localizer);
    }

    private void EnsureStatus(Event ev)
    {
        if (ev.Status == EventStatus.Cancelled) throw new DomainException(ErrorCodes.EventCancelled, localizer["Error.event_cancelled"]);
        if (ev.Status != EventStatus.Published) throw new DomainException(ErrorCodes.EventNotPublished, localizer["Error.event_not_published"]);
    }

    /// <summary>The event on sale and the date in its sales window; a <paramref name="presale"/> (a valid access code) may buy before the opening.</summary>
    private void EnsureOnSale(Event ev, Performance performance, DateTimeOffset now, bool presale = false)
    {
        EnsureStatus(ev);
        if (!presale && performance.SalesOpenAt is { } open && now < open)
            throw new DomainException(ErrorCodes.SalesNotOpen, localizer["Error.sales_not_open"],
                new Dictionary<string, object?> { ["salesOpenAt"] = open });
        if ((performance.SalesCloseAt is { } close && now >= close) || now >= performance.StartsAt)
            throw new DomainException(ErrorCodes.SalesClosed, localizer["Error.sales_closed"]);
    }

    /// <summary>The caps of one account for <paramref name="ev"/>: the event's own, else the platform's defaults.</summary>
    public AccountCaps CapsOf(Event ev)
    {
        var o = options.Value;
        var perEvent = ev.MaxTicketsPerAccount ?? o.MaxTicketsPerAccount;
        var perCategory = Math.Min(perEvent, ev.MaxTicketsPerAccountPerCategory ?? o.MaxTicketsPerAccountPerCategory);
        return new AccountCaps(perEvent, perCategory, o.MaxOpenHoldsPerAccount <= 0 ? int.MaxValue : o.MaxOpenHoldsPerAccount,
            o.OneHoldPerPerformance);
    }

    private DomainException AccountLimitExceeded(AccountCaps caps) =>
        new(ErrorCodes.AccountLimitExceeded, localizer["Error.account_limit_exceeded", caps.TicketsPerEvent, caps.TicketsPerCategory],
            new Dictionary<string, object?>
            {
                ["maxTicketsPerAccount"] = caps.TicketsPerEvent,
                ["maxTicketsPerAccountPerCategory"] = caps.TicketsPerCategory,
                ["maxOpenHoldsPerAccount"] = caps.OpenHolds == int.MaxValue ? null : caps.OpenHolds,
            });

    private RequestValidationException Invalid(string field, string key) =>
        new(new Validator(localizer).Add(field, key).Errors);

    internal static OrderDto ToDto(Order o, string eventTitle, Performance p, int feeBasisPoints) => new(
        o.Id, o.Status.ToString(), o.ExpiresAt, Money.ToDecimal(o.TotalMinor), o.Currency,
        o.Items.OrderBy(i => i.CategoryName).ThenBy(i => i.SeatSection).ThenBy(i => i.SeatRow).ThenBy(i => i.SeatLabel)
            .Select(i => new OrderItemDto(i.CategoryId, i.CategoryName, i.Quantity, Money.ToDecimal(i.UnitPriceMinor),
            Money.ToDecimal(i.UnitFeeMinor), Receipts.VatRates.ToPercent(i.VatRateBasisPoints), Money.ToDecimal(i.UnitDiscountMinor),
            i.SeatId is { } seat ? new Seating.SeatRefDto(seat, i.SeatSection ?? "", i.SeatRow ?? "", i.SeatLabel ?? "") : null)).ToList(),
        o.UserId, o.EventId, eventTitle, o.PerformanceId, p.StartsAt, p.VenueName, p.City, o.CreatedAt, o.PaidAt,
        Vat: Receipts.VatLineDto.From(Receipts.VatBreakdown.OfItems(o.Items, feeBasisPoints)),
        Discount: Money.ToDecimal(o.DiscountMinor), PromoCode: o.PromoCode);
}
