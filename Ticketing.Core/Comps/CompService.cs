using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Inventory;
using Ticketing.Core.Notifications;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Comps;

/// <summary>
/// Complimentary tickets: the event's owner or an Admin issues zero-price tickets to a named guest from the quota set
/// per performance and category. ONE transaction, in the sale's lock order: the quota's conditional update
/// (<c>Issued + n &lt;= Quota</c>, else 409 <c>comp_quota_exceeded</c>), the performance's ticket number range, the Paid
/// zero-price order and its tickets, the guest's mail (PDF) in the outbox, and last the seats
/// (<see cref="SeatInventory.TrySellAsync"/>, else 409 <c>sold_out</c>): comps count against capacity and never exceed it.
/// In a reserved-seating category the comps name their seats (<see cref="Seating.SeatPicker.PickTogetherOrApartAsync"/>:
/// side by side, else apart), sold in the same transaction by the seats' conditional update; a seat a buyer took
/// meanwhile makes the issue pick again (up to 3 times).
/// </summary>
public sealed class CompService(
    IDbContextFactory<TicketingDbContext> dbFactory,
    SeatInventory seats,
    Seating.SeatPicker picker,
    RefundService refunds,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<CompService> logger)
{
    public const int MaxQuantity = 50;
    public const int MaxQuota = 100_000;

    public async Task<CompDto> IssueAsync(Guid eventId, Actor actor, IssueCompRequest? request, CancellationToken ct = default)
    {
        var (name, email, note) = Validate(request);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ev = await EventAccess.GetManageableAsync(db, eventId, actor, ct);
        if (ev.Status == EventStatus.Cancelled) throw new DomainException(ErrorCodes.EventCancelled, localizer["Error.event_cancelled"]);
        var (performance, category) = await FindAsync(db, eventId, request!.PerformanceId, request.CategoryId, ct);
        var quantity = request.Quantity;
        var normalized = TicketHolder.Normalize(email);
        var guest = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedEmail == normalized && u.DeletedAt == null, ct);

        for (var attempt = 1; ; attempt++)
        {
            // Reserved seating: the seats the comps give (side by side, else apart).
            IReadOnlyList<Seating.SeatPicker.Seat>? given = null;
            if (category.Seated && (given = await picker.PickTogetherOrApartAsync(performance.Id, category.Id, quantity, ct)) is null)
            {
                var open = await db.PerformanceSeats.CountAsync(s => s.PerformanceId == performance.Id && s.CategoryId == category.Id
                                                                      && s.Status == Seating.SeatStatus.Available, ct);
                if (open == 0) throw new DomainException(ErrorCodes.SoldOut, localizer["Error.sold_out"], new Dictionary<string, object?> { ["available"] = 0 });
                throw new DomainException(ErrorCodes.InsufficientAvailability, localizer["Error.insufficient_availability"],
                    new Dictionary<string, object?> { ["available"] = open });
            }
            var issued = await TryIssueAsync(db, eventId, actor, request, performance, category, quantity, name, email, note, normalized, guest, given, ct);
            if (issued is not null) return issued;
            // A seat given went to a buyer between the pick and the issue: pick again.
            picker.Release(performance.Id, given!.Select(s => s.Id));
            db.ChangeTracker.Clear();
            if (attempt >= 3)
                throw new DomainException(ErrorCodes.InsufficientAvailability, localizer["Error.insufficient_availability"],
                    new Dictionary<string, object?> { ["available"] = 0 });
        }
    }

    /// <summary>The one transaction; null when a seat given was taken meanwhile (rolled back).</summary>
    private async Task<CompDto?> TryIssueAsync(TicketingDbContext db, Guid eventId, Actor actor, IssueCompRequest request, Performance performance,
        PriceCategory category, int quantity, string name, string email, string? note, string normalized, AppUser? guest,
        IReadOnlyList<Seating.SeatPicker.Seat>? given, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var order = new Order
        {
            Id = Guid.CreateVersion7(), UserId = guest?.Id ?? Guid.Empty, EventId = eventId, PerformanceId = performance.Id,
            Status = OrderStatus.Paid, Currency = category.Currency, CreatedAt = now, ExpiresAt = now, PaidAt = now, BuyerName = name, TotalMinor = 0,
        };
        order.Items = given is null
            ? [new OrderItem { Id = Guid.CreateVersion7(), OrderId = order.Id, CategoryId = category.Id, CategoryName = category.Name, Quantity = quantity,
                UnitPriceMinor = 0, UnitFeeMinor = 0, VatRateBasisPoints = category.VatRateBasisPoints }]
            : given.Select(seat => new OrderItem { Id = Guid.CreateVersion7(), OrderId = order.Id, CategoryId = category.Id, CategoryName = category.Name,
                Quantity = 1, UnitPriceMinor = 0, UnitFeeMinor = 0, VatRateBasisPoints = category.VatRateBasisPoints,
                SeatId = seat.Id, SeatSection = seat.Section, SeatRow = seat.Row, SeatLabel = seat.Label }).ToList();
        var comp = new Comp
        {
            Id = Guid.CreateVersion7(), EventId = eventId, PerformanceId = performance.Id, CategoryId = category.Id, OrderId = order.Id,
            Quantity = quantity, GuestName = name, GuestEmail = email, Note = note, IssuedBy = actor.UserId, IssuedAt = now,
        };
        var tickets = new List<Ticket>(quantity);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            var counted = await db.CompQuotas.Where(q => q.CategoryId == category.Id && q.Issued + quantity <= q.Quota)
                .ExecuteUpdateAsync(s => s.SetProperty(q => q.Issued, q => q.Issued + quantity), ct);
            if (counted == 0)
            {
                await tx.RollbackAsync(ct);
                var left = await db.CompQuotas.AsNoTracking().Where(q => q.CategoryId == category.Id).Select(q => (int?)(q.Quota - q.Issued)).FirstOrDefaultAsync(ct) ?? 0;
                throw new DomainException(ErrorCodes.CompQuotaExceeded, localizer["Error.comp_quota_exceeded"],
                    new Dictionary<string, object?> { ["remaining"] = left });
            }
            var last = (await db.Database.SqlQuery<int>(
                    $"UPDATE \"Performances\" SET \"LastTicketNumber\" = \"LastTicketNumber\" + {quantity} WHERE \"Id\" = {performance.Id} RETURNING \"LastTicketNumber\" AS \"Value\"")
                .ToListAsync(ct)).Single();
            for (var sequence = last - quantity + 1; sequence <= last; sequence++)
            {
                var seat = given?[sequence - (last - quantity + 1)];
                tickets.Add(new Ticket
                {
                    Id = Guid.CreateVersion7(), OrderId = order.Id, UserId = order.UserId, EventId = eventId, PerformanceId = performance.Id,
                    CategoryId = category.Id, Sequence = sequence, Number = $"{performance.TicketPrefix}-{sequence:D6}", CategoryName = category.Name,
                    HolderName = name, PriceMinor = 0, Currency = category.Currency, Status = TicketStatus.Valid, IssuedAt = now, HolderEmail = normalized,
                    SeatId = seat?.Id, SeatSection = seat?.Section, SeatRow = seat?.Row, SeatLabel = seat?.Label,
                });
            }
            db.Orders.Add(order);
            db.Tickets.AddRange(tickets);
            db.Comps.Add(comp);
            var mailTo = new AppUser
            {
                Id = guest?.Id ?? Guid.Empty, Email = email, DisplayName = name, NotificationChannel = NotificationChannel.Email,
                PreferredLanguage = guest?.PreferredLanguage is { } l && Languages.IsSupported(l) ? l
                    : Languages.IsSupported(request.Language) ? request.Language! : System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName,
            };
            Outbox.Enqueue(db, order, mailTo, NotificationKind.OrderConfirmed, now);
            await db.SaveChangesAsync(ct);
            // The seat rows (reserved seating), then the counters last (the hot row, as in a sale).
            if (given is not null && !await seats.TrySellSeatsAsync(db, [(order, false)], ct))
            {
                await tx.RollbackAsync(ct);
                return null;
            }
            if (await seats.TrySellAsync(db, [new SeatSale(category.Id, Held: 0, Again: quantity)], ct) is not null)
            {
                await tx.RollbackAsync(ct);
                var available = await db.PriceCategories.AsNoTracking().Where(c => c.Id == category.Id).Select(c => c.Capacity - c.Sold - c.Held).FirstAsync(ct);
                if (available <= 0) throw new DomainException(ErrorCodes.SoldOut, localizer["Error.sold_out"], new Dictionary<string, object?> { ["available"] = 0 });
                throw new DomainException(ErrorCodes.InsufficientAvailability, localizer["Error.insufficient_availability"],
                    new Dictionary<string, object?> { ["available"] = available });
            }
            await tx.CommitAsync(ct);
        }
        logger.LogInformation("Comps {CompId}: {Quantity} ticket(s) of category {CategoryId} issued by {UserId}", comp.Id, quantity, category.Id, actor.UserId);
        return ToDto(comp, category.Name, tickets.Select(t => t.Number).ToList());
    }

    /// <summary>
    /// Cancels a comp: its tickets are voided, their seats go back on sale and its quota is given back, in the refund's
    /// settlement transaction (<see cref="RefundService"/>: a zero order has no money to send and gets no credit note); the
    /// guest is told the tickets are cancelled. A scanned ticket: 409 <c>ticket_used</c>; already cancelled: 409
    /// <c>order_not_refundable</c>. Two cancellations at once cancel once.
    /// </summary>
    public async Task<CompDto> CancelAsync(Guid eventId, Guid compId, Actor actor, CancellationToken ct = default)
    {
        Guid orderId;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await EventAccess.GetManageableAsync(db, eventId, actor, ct);
            orderId = await db.Comps.AsNoTracking().Where(c => c.Id == compId && c.EventId == eventId).Select(c => (Guid?)c.OrderId)
                .FirstOrDefaultAsync(ct) ?? throw new NotFoundException();
        }
        await refunds.RefundAsync(orderId, actor, ct);
        logger.LogInformation("Comps {CompId} cancelled by {UserId}", compId, actor.UserId);
        await using var read = await dbFactory.CreateDbContextAsync(ct);
        return (await DtosAsync(read, read.Comps.AsNoTracking().Where(c => c.Id == compId), ct)).Single();
    }

    /// <summary>In a refund's settlement (<see cref="RefundService"/>): the voided tickets of a comp leave its quota's count.</summary>
    public static async Task GiveBackQuotaAsync(TicketingDbContext db, Guid orderId, IReadOnlyList<Ticket> voided, CancellationToken ct)
    {
        if (voided.Count == 0) return;
        var categoryId = await db.Comps.AsNoTracking().Where(c => c.OrderId == orderId).Select(c => (Guid?)c.CategoryId).FirstOrDefaultAsync(ct);
        if (categoryId is not { } category) return;
        var n = voided.Count(t => t.CategoryId == category);
        if (n > 0)
            await db.CompQuotas.Where(q => q.CategoryId == category && q.Issued >= n)
                .ExecuteUpdateAsync(s => s.SetProperty(q => q.Issued, q => q.Issued - n), ct);
    }

    /// <summary>The guest of a comp order as a recipient (name, address, the language of the first mail), or null.</summary>
    public static async Task<AppUser?> GuestOfAsync(TicketingDbContext db, Guid orderId, CancellationToken ct)
    {
        var comp = await db.Comps.AsNoTracking().Where(c => c.OrderId == orderId).Select(c => new { c.GuestName, c.GuestEmail }).FirstOrDefaultAsync(ct);
        if (comp is null) return null;
        var language = await db.Notifications.AsNoTracking().Where(n => n.OrderId == orderId && n.Kind == NotificationKind.OrderConfirmed)
            .Select(n => n.Language).FirstOrDefaultAsync(ct);
        return new AppUser
        {
            Id = Guid.Empty, Email = comp.GuestEmail, DisplayName = comp.GuestName, NotificationChannel = NotificationChannel.Email,
            PreferredLanguage = Languages.IsSupported(language) ? language! : "en",
        };
    }

    public async Task<PagedResult<CompDto>> ListAsync(Guid eventId, Actor actor, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await EventAccess.GetManageableAsync(db, eventId, actor, ct);
        var query = db.Comps.AsNoTracking().Where(c => c.EventId == eventId);
        var total = await query.CountAsync(ct);
        var items = await DtosAsync(db, query.OrderByDescending(c => c.IssuedAt).Skip(page.Skip).Take(page.PageSize), ct);
        return new PagedResult<CompDto>(items, page.Page, page.PageSize, total);
    }

    /// <summary>The comps of <paramref name="comps"/> (kept in its order) with their category, ticket numbers and whether cancelled.</summary>
    private static async Task<List<CompDto>> DtosAsync(TicketingDbContext db, IQueryable<Comp> comps, CancellationToken ct)
    {
        var rows = await (from c in comps
                          join cat in db.PriceCategories on c.CategoryId equals cat.Id
                          join o in db.Orders on c.OrderId equals o.Id
                          select new { c, cat.Name, o.Status }).ToListAsync(ct);
        var orderIds = rows.Select(r => r.c.OrderId).ToList();
        var numbers = (await db.Tickets.AsNoTracking().Where(t => orderIds.Contains(t.OrderId)).OrderBy(t => t.Sequence)
                .Select(t => new { t.OrderId, t.Number }).ToListAsync(ct))
            .ToLookup(t => t.OrderId, t => t.Number);
        return rows.Select(r => ToDto(r.c, r.Name, numbers[r.c.OrderId].ToList(), r.Status == OrderStatus.Refunded)).ToList();
    }

    public async Task<IReadOnlyList<CompQuotaDto>> ListQuotasAsync(Guid eventId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await EventAccess.GetManageableAsync(db, eventId, actor, ct);
        var performances = await db.Performances.AsNoTracking().Where(p => p.EventId == eventId).Include(p => p.Categories).ToListAsync(ct);
        var quotas = await db.CompQuotas.AsNoTracking().Where(q => q.EventId == eventId).ToDictionaryAsync(q => q.CategoryId, ct);
        return performances.OrderBy(p => p.StartsAt).SelectMany(p => p.Categories.OrderBy(c => c.SortOrder).ThenBy(c => c.Name).Select(c =>
        {
            var q = quotas.GetValueOrDefault(c.Id);
            return new CompQuotaDto(p.Id, p.StartsAt, c.Id, c.Name, q?.Quota ?? 0, q?.Issued ?? 0, (q?.Quota ?? 0) - (q?.Issued ?? 0));
        })).ToList();
    }

    /// <summary>Sets a category's quota; never below what is already issued (a conditional update, so a parallel comp is counted).</summary>
    public async Task<CompQuotaDto> SetQuotaAsync(Guid eventId, Actor actor, SetCompQuotaRequest? request, CancellationToken ct = default)
    {
        var v = new Validator(localizer);
        if (request is null) throw new RequestValidationException(v.Add("body", "Validation.Required").Errors);
        v.Require(request.Quota is >= 0 and <= MaxQuota, "quota", "Validation.CompQuota", MaxQuota);
        v.ThrowIfInvalid();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await EventAccess.GetManageableAsync(db, eventId, actor, ct);
        var (performance, category) = await FindAsync(db, eventId, request.PerformanceId, request.CategoryId, ct);
        var quota = request.Quota;
        var updated = await db.CompQuotas.Where(q => q.CategoryId == category.Id && q.Issued <= quota)
            .ExecuteUpdateAsync(s => s.SetProperty(q => q.Quota, quota), ct);
        if (updated == 0)
        {
            if (await db.CompQuotas.AnyAsync(q => q.CategoryId == category.Id, ct))
                throw new RequestValidationException(v.Add("quota", "Validation.CompQuotaBelowIssued").Errors);
            db.CompQuotas.Add(new CompQuota { Id = Guid.CreateVersion7(), EventId = eventId, PerformanceId = performance.Id, CategoryId = category.Id, Quota = quota });
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                // Created meanwhile by a parallel request: set it as an update.
                db.ChangeTracker.Clear();
                if (await db.CompQuotas.Where(q => q.CategoryId == category.Id && q.Issued <= quota).ExecuteUpdateAsync(s => s.SetProperty(q => q.Quota, quota), ct) == 0)
                    throw new RequestValidationException(v.Add("quota", "Validation.CompQuotaBelowIssued").Errors);
            }
        }
        var row = await db.CompQuotas.AsNoTracking().FirstAsync(q => q.CategoryId == category.Id, ct);
        logger.LogInformation("Comp quota of category {CategoryId} set to {Quota}", category.Id, quota);
        return new CompQuotaDto(performance.Id, performance.StartsAt, category.Id, category.Name, row.Quota, row.Issued, row.Quota - row.Issued);
    }

    /// <summary>The comps of an event per category for the sales report (voided ones, e.g. refunded, no longer count).</summary>
    public static async Task<IReadOnlyList<CompSales>> SummaryAsync(TicketingDbContext db, Guid eventId, CancellationToken ct)
    {
        var rows = await (from t in db.Tickets
                          join c in db.Comps on t.OrderId equals c.OrderId
                          where t.EventId == eventId && t.Status != TicketStatus.Voided
                          group t by new { t.CategoryId, t.CategoryName } into g
                          select new { g.Key.CategoryId, g.Key.CategoryName, Count = g.Count() }).ToListAsync(ct);
        return rows.OrderBy(r => r.CategoryName, StringComparer.Ordinal).Select(r => new CompSales(r.CategoryId, r.CategoryName, r.Count)).ToList();
    }

    private async Task<(Performance, PriceCategory)> FindAsync(TicketingDbContext db, Guid eventId, Guid performanceId, Guid categoryId, CancellationToken ct)
    {
        var performance = await db.Performances.AsNoTracking().Include(p => p.Categories)
            .FirstOrDefaultAsync(p => p.Id == performanceId && p.EventId == eventId, ct);
        if (performance is null) throw new RequestValidationException(new Validator(localizer).Add("performanceId", "Validation.UnknownPerformance").Errors);
        var category = performance.Categories.FirstOrDefault(c => c.Id == categoryId)
                       ?? throw new RequestValidationException(new Validator(localizer).Add("categoryId", "Validation.UnknownCategory").Errors);
        return (performance, category);
    }

    private (string Name, string Email, string? Note) Validate(IssueCompRequest? request)
    {
        var v = new Validator(localizer);
        if (request is null) throw new RequestValidationException(v.Add("body", "Validation.Required").Errors);
        v.Require(request.PerformanceId != Guid.Empty, "performanceId", "Validation.Required");
        v.Require(request.CategoryId != Guid.Empty, "categoryId", "Validation.Required");
        v.Require(request.Quantity is > 0 and <= MaxQuantity, "quantity", "Validation.Quantity", MaxQuantity);
        var name = v.Text("guest.displayName", request.Guest?.DisplayName, 200, required: true);
        var email = request.Guest?.Email?.Trim();
        if (string.IsNullOrEmpty(email)) v.Add("guest.email", "Validation.Required");
        else if (!TicketTransferService.IsEmail(email)) v.Add("guest.email", "Validation.Email");
        var note = v.Text("note", request.Note, 500, multiLine: true);
        v.ThrowIfInvalid();
        return (name!.Trim(), email!, string.IsNullOrWhiteSpace(note) ? null : note.Trim());
    }

    private static CompDto ToDto(Comp c, string categoryName, IReadOnlyList<string> numbers, bool cancelled = false) =>
        new(c.Id, c.PerformanceId, c.CategoryId, categoryName, c.Quantity, c.GuestName, c.GuestEmail, c.Note, c.OrderId, c.IssuedAt, numbers, cancelled);
}
