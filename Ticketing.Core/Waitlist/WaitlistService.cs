using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Core.Common;
using Ticketing.Core.Inventory;
using Ticketing.Core.Notifications;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Waitlist;

/// <summary>
/// Waiting lists of sold-out categories. Seats that come back (expiry, refund, cancelled holds, resale not taken: every
/// release and return of <see cref="SeatInventory"/>) are kept for the line by the database: the category's
/// <c>WaitlistSeats</c> (the sum of its Waiting entries' quantities, moved with every entry in the same transaction) is
/// subtracted from what the public may hold, so a returned seat is never on public sale while the line wants it. They are
/// offered by <see cref="OfferAsync"/> (a job) to the first waiting fan of the category: ONE transaction moves the entry
/// Waiting -> Offered (conditional), takes the seats out of the line's reservation through
/// <see cref="SeatInventory.TryTakeForLineAsync"/> (a conditional UPDATE, so a seat is never given twice), writes the fan's Reserved order (held
/// <c>Waitlist:OfferMinutes</c>) and puts the offer mail in the outbox.
/// The line is strict: the first fan's quantity must fit before the next fan is served. An offer not paid in time is
/// closed (its seats released) and the seats go straight to the next fan in the same run. In a reserved-seating category
/// the offer names its seats: the best available side by side (else the best ones one by one), held for the fan's order
/// in the same transaction (<see cref="SeatInventory.TakeSeatsAsync"/>), so the tickets carry them and the map shows them taken.
/// </summary>
public sealed class WaitlistService(
    IDbContextFactory<TicketingDbContext> dbFactory,
    SeatInventory seats,
    Seating.SeatPicker picker,
    OrderService orders,
    IOptions<WaitlistOptions> options,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<WaitlistService> logger)
{
    public async Task<(WaitlistEntryDto Entry, bool Created)> JoinAsync(Guid userId, Guid performanceId, JoinWaitlistRequest? request, CancellationToken ct = default)
    {
        var v = new Validator(localizer);
        if (request is null) throw new RequestValidationException(v.Add("body", "Validation.Required").Errors);
        v.Require(request.Quantity >= 1 && request.Quantity <= options.Value.MaxQuantity, "quantity", "Validation.Quantity", options.Value.MaxQuantity);
        v.ThrowIfInvalid();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var category = await db.PriceCategories.AsNoTracking().Where(c => c.Id == request.CategoryId && c.PerformanceId == performanceId)
            .Select(c => new { c.Id, c.Capacity, c.Sold, c.Held, c.WaitlistSeats, c.Performance!.EventId }).FirstOrDefaultAsync(ct);
        if (category is null)
        {
            if (!await db.Performances.AnyAsync(p => p.Id == performanceId, ct)) throw new NotFoundException(localizer["Error.not_found"]);
            throw new RequestValidationException(v.Add("categoryId", "Validation.UnknownCategory").Errors);
        }
        var existing = await db.WaitlistEntries.AsNoTracking().FirstOrDefaultAsync(e => e.CategoryId == category.Id && e.UserId == userId, ct);
        if (existing is not null) return (await ToDtoAsync(db, existing, ct), false);
        // The public could hold these seats: no line (checked again, atomically, by the counter's conditional UPDATE below).
        if (category.Capacity - category.Sold - category.Held - category.WaitlistSeats >= request.Quantity)
            throw new DomainException(ErrorCodes.WaitlistNotSoldOut, localizer["Error.waitlist_not_sold_out"]);
        var entry = new WaitlistEntry
        {
            Id = Guid.CreateVersion7(), EventId = category.EventId, PerformanceId = performanceId, CategoryId = category.Id, UserId = userId,
            Quantity = request.Quantity, Status = WaitlistStatus.Waiting, CreatedAt = clock.GetUtcNow(),
        };
        // One transaction: the entry, then the line's reservation on the category (lock order: entry, then category).
        var saved = false;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.WaitlistEntries.Add(entry);
            try
            {
                await db.SaveChangesAsync(ct);
                saved = true;
            }
            catch (DbUpdateException)
            {
                await tx.RollbackAsync(ct);
            }
            if (saved)
            {
                if (!await seats.TryJoinLineAsync(db, category.Id, entry.Quantity, ct))
                {
                    await tx.RollbackAsync(ct);
                    throw new DomainException(ErrorCodes.WaitlistNotSoldOut, localizer["Error.waitlist_not_sold_out"]);
                }
                await tx.CommitAsync(ct);
            }
        }
        if (!saved)
        {
            // The unique index (category, account): a parallel join of the same fan came first.
            await using var again = await dbFactory.CreateDbContextAsync(ct);
            var first = await again.WaitlistEntries.AsNoTracking().FirstAsync(e => e.CategoryId == category.Id && e.UserId == userId, ct);
            return (await ToDtoAsync(again, first, ct), false);
        }
        logger.LogInformation("Account {UserId} joined the waiting list of category {CategoryId} for {Quantity} seat(s)", userId, category.Id, entry.Quantity);
        return (await ToDtoAsync(db, entry, ct), true);
    }

    public async Task<IReadOnlyList<WaitlistEntryDto>> GetOwnAsync(Guid userId, Guid performanceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entries = await db.WaitlistEntries.AsNoTracking().Where(e => e.UserId == userId && e.PerformanceId == performanceId).ToListAsync(ct);
        var result = new List<WaitlistEntryDto>();
        foreach (var e in entries) result.Add(await ToDtoAsync(db, e, ct));
        return result;
    }

    /// <summary>The fan leaves the line (a Waiting entry; an offer is declined by releasing its order).</summary>
    public async Task LeaveAsync(Guid entryId, Guid userId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entry = await db.WaitlistEntries.AsNoTracking().FirstOrDefaultAsync(e => e.Id == entryId && e.UserId == userId, ct)
            ?? throw new NotFoundException(localizer["Error.not_found"]);
        if (entry.Status != WaitlistStatus.Waiting) return;
        await CloseWaitingAsync(db, entry, WaitlistStatus.Left, clock.GetUtcNow(), ct);
    }

    /// <summary>
    /// A Waiting entry leaves the line without an offer (left, expired): the entry (conditional on Waiting), then the
    /// line's reservation given back to the public, in one transaction (lock order: entry, then category).
    /// </summary>
    private async Task CloseWaitingAsync(TicketingDbContext db, WaitlistEntry entry, WaitlistStatus to, DateTimeOffset now, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var moved = await db.WaitlistEntries.Where(e => e.Id == entry.Id && e.Status == WaitlistStatus.Waiting)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, to).SetProperty(e => e.ClosedAt, now), ct);
        if (moved == 1) await seats.LeaveLineAsync(db, entry.CategoryId, entry.Quantity, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>Settles the offers (paid, ended, timed out), then offers the seats back on sale to the lines. Answers the offers made.</summary>
    public async Task<int> OfferAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await SettleOffersAsync(db, now, ct);

        var offered = 0;
        var categories = await db.WaitlistEntries.AsNoTracking().Where(e => e.Status == WaitlistStatus.Waiting)
            .Select(e => e.CategoryId).Distinct().ToListAsync(ct);
        foreach (var categoryId in categories)
        {
            while (true)
            {
                var entry = await db.WaitlistEntries.AsNoTracking().Where(e => e.CategoryId == categoryId && e.Status == WaitlistStatus.Waiting)
                    .OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).FirstOrDefaultAsync(ct);
                if (entry is null || await TryOfferAsync(db, entry, now, ct) is not { } made) break;
                if (made) offered++;
            }
        }
        if (offered > 0) logger.LogInformation("Offered returned seats to {Count} fan(s) of waiting lists", offered);
        return offered;
    }

    private async Task SettleOffersAsync(TicketingDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        var open = await (from e in db.WaitlistEntries.AsNoTracking()
                          where e.Status == WaitlistStatus.Offered
                          join o in db.Orders.AsNoTracking().Include(o => o.Items) on e.OfferOrderId equals o.Id
                          select new { Entry = e, Order = o }).ToListAsync(ct);
        foreach (var x in open)
        {
            var to = x.Order.Status switch
            {
                OrderStatus.Paid or OrderStatus.Refunded or OrderStatus.PartiallyRefunded => WaitlistStatus.Fulfilled,
                OrderStatus.Reserved when x.Entry.OfferExpiresAt > now => (WaitlistStatus?)null,
                _ => WaitlistStatus.Expired,
            };
            if (to is null) continue;
            // A Reserved offer past its time: closed here (seats released), then offered again below in the same run.
            if (x.Order.Status == OrderStatus.Reserved)
            {
                x.Order.Items = x.Order.Items.ToList();
                if (!await orders.CloseHoldAsync(db, x.Order, OrderStatus.Expired, now, ct)) continue;
            }
            await db.WaitlistEntries.Where(e => e.Id == x.Entry.Id && e.Status == WaitlistStatus.Offered)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, to.Value).SetProperty(e => e.ClosedAt, now), ct);
            logger.LogInformation("Waiting-list offer {EntryId} {Status}", x.Entry.Id, to.Value);
        }
    }

    /// <summary>
    /// One offer, one transaction: the entry Waiting -> Offered, seats taken from the line's reservation (conditional), the
    /// order, the mail. True: offered; false: the entry is no longer waiting (left, expired, offered by a parallel run),
    /// the next one may be served; null: the seats are not there, the line stops here.
    /// </summary>
    private async Task<bool?> TryOfferAsync(TicketingDbContext db, WaitlistEntry entry, DateTimeOffset now, CancellationToken ct)
    {
        var category = await db.PriceCategories.AsNoTracking().Include(c => c.Performance).ThenInclude(p => p!.Event)
            .FirstAsync(c => c.Id == entry.CategoryId, ct);
        var ev = category.Performance!.Event!;
        if (ev.Status != Events.EventStatus.Published || now >= category.Performance.StartsAt)
        {
            await CloseWaitingAsync(db, entry, WaitlistStatus.Expired, now, ct);
            return false;
        }
        var fan = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == entry.UserId && u.DeletedAt == null, ct);
        // Reserved seating: the seats the offer holds (null: not there yet, the line waits).
        IReadOnlyList<Seating.SeatPicker.Seat>? offered = null;
        if (category.Seated && (offered = await picker.PickTogetherOrApartAsync(entry.PerformanceId, entry.CategoryId, entry.Quantity, ct)) is null)
            return null;
        var order = new Order
        {
            Id = Guid.CreateVersion7(), UserId = entry.UserId, EventId = entry.EventId, PerformanceId = entry.PerformanceId, Status = OrderStatus.Reserved,
            Currency = category.Currency, CreatedAt = now, ExpiresAt = now.AddMinutes(options.Value.OfferMinutes), BuyerName = fan?.DisplayName ?? "",
        };
        order.Items = offered is null
            ?
            [
                new OrderItem
                {
                    Id = Guid.CreateVersion7(), OrderId = order.Id, CategoryId = category.Id, CategoryName = category.Name, Quantity = entry.Quantity,
                    UnitPriceMinor = category.PriceMinor, UnitFeeMinor = ev.BookingFeeMinor, VatRateBasisPoints = category.VatRateBasisPoints,
                },
            ]
            : offered.Select(s => new OrderItem
            {
                Id = Guid.CreateVersion7(), OrderId = order.Id, CategoryId = category.Id, CategoryName = category.Name, Quantity = 1,
                UnitPriceMinor = category.PriceMinor, UnitFeeMinor = ev.BookingFeeMinor, VatRateBasisPoints = category.VatRateBasisPoints,
                SeatId = s.Id, SeatSection = s.Section, SeatRow = s.Row, SeatLabel = s.Label,
            }).ToList();
        order.TotalMinor = order.Items.Sum(i => (i.UnitPriceMinor + i.UnitFeeMinor) * i.Quantity);
        // Lock order: the entry, then the category (as joins and leaves). The seats come out of the line's reservation.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var moved = await db.WaitlistEntries.Where(e => e.Id == entry.Id && e.Status == WaitlistStatus.Waiting)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, WaitlistStatus.Offered).SetProperty(e => e.OfferOrderId, order.Id)
                .SetProperty(e => e.OfferedAt, now).SetProperty(e => e.OfferExpiresAt, order.ExpiresAt), ct);
        if (moved == 0)
        {
            await tx.RollbackAsync(ct);
            return false; // the fan left meanwhile (or a parallel run offered): the next one is served
        }
        // The seat rows first (lock order of every seated hold: seats, then the category), then the line's counters.
        var seatsTaken = offered is null || await seats.TakeSeatsAsync(db, entry.PerformanceId, order.Id, offered.Select(s => s.Id).ToList(), ct) == offered.Count;
        var left = seatsTaken ? await seats.TryTakeForLineAsync(db, category.Id, entry.Quantity, ct) : null;
        if (left is null)
        {
            await tx.RollbackAsync(ct);
            if (offered is not null) picker.Release(entry.PerformanceId, offered.Select(s => s.Id));
            return null;
        }
        db.Orders.Add(order);
        if (fan is not null) Outbox.Enqueue(db, order, fan, NotificationKind.WaitlistOffer, now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        seats.Remember(category.Id, left.Value);
        logger.LogInformation("Waiting-list entry {EntryId} offered {Quantity} seat(s) by order {OrderId} until {ExpiresAt}",
            entry.Id, entry.Quantity, order.Id, order.ExpiresAt);
        return true;
    }

    private static async Task<WaitlistEntryDto> ToDtoAsync(TicketingDbContext db, WaitlistEntry e, CancellationToken ct)
    {
        int? position = null;
        if (e.Status == WaitlistStatus.Waiting)
            position = 1 + await db.WaitlistEntries.CountAsync(x => x.CategoryId == e.CategoryId && x.Status == WaitlistStatus.Waiting
                && x.CreatedAt < e.CreatedAt, ct);
        return new WaitlistEntryDto(e.Id, e.PerformanceId, e.CategoryId, e.Quantity, e.Status.ToString(), position, e.OfferOrderId, e.OfferExpiresAt, e.CreatedAt);
    }
}
