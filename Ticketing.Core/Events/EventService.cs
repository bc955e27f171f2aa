using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Events;

/// <summary>
/// Organizers' writes (create, update, delete, publish, image) and the event page's read. Only the owner or an Admin writes;
/// a draft is invisible (404) to everybody else. Used by the API and by the dashboard alike.
/// </summary>
public sealed class EventService(
    IDbContextFactory<TicketingDbContext> dbFactory,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    EventImageStore images,
    OnSaleCache onSale,
    Inventory.SeatInventory seats,
    CatalogChangeNotifier changes,
    ILogger<EventService> logger)
{
    public const long MaxImageBytes = 2 * 1024 * 1024;

    // ---------------- reads ----------------

    /// <summary>The event page / GET /api/events/{id}. Drafts: owner and Admin only (404 for anybody else).</summary>
    public async Task<EventDetail> GetAsync(Guid id, ClaimsPrincipal? user, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var e = await LoadAsync(db, id, tracking: false, ct);
        if (e is null || !CanSee(e, user)) throw new NotFoundException(localizer["Error.not_found"]);
        // Presale-only categories are the organizer's: the public sees them only through an access code (at booking).
        if (!IsOwnerOrAdmin(e, user))
            foreach (var p in e.Performances) p.Categories.RemoveAll(c => c.PresaleOnly);
        return ToDetail(e, clock.GetUtcNow());
    }

    /// <summary>The organizer dashboard: own events (Admin: all) with a sales summary.</summary>
    public async Task<IReadOnlyList<DashboardEvent>> ListForDashboardAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        RequireOrganizer(user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Events.AsNoTracking();
        if (!user.IsAdmin())
        {
            var me = user.UserId();
            query = query.Where(e => e.OwnerId == me);
        }
        var events = await query.Include(e => e.Performances).ThenInclude(p => p.Categories).AsSplitQuery().ToListAsync(ct);
        return events
            .Select(e =>
            {
                var cats = e.Performances.SelectMany(p => p.Categories).ToList();
                return new DashboardEvent(e.Id, e.Title, e.Category.ToString(), e.Status.ToString(), e.ImageUrl, e.OwnerId, e.Performances.Count,
                    e.Performances.Count == 0 ? null : e.Performances.Min(p => p.StartsAt),
                    e.Performances.Count == 0 ? null : e.Performances.Max(p => p.StartsAt),
                    cats.Sum(c => c.Capacity), cats.Sum(c => c.Sold), cats.Sum(c => c.Held), cats.Sum(c => c.Sold * c.PriceMinor),
                    cats.FirstOrDefault()?.Currency ?? "EUR");
            })
            .OrderBy(e => e.Status == nameof(EventStatus.Cancelled)).ThenByDescending(e => e.FirstDate ?? DateTimeOffset.MaxValue)
            .ToList();
    }

    // ---------------- writes ----------------

    public async Task<EventDetail> CreateAsync(EventInput input, ClaimsPrincipal user, CancellationToken ct = default)
    {
        RequireOrganizer(user);
        var now = clock.GetUtcNow();
        EnsureCurrenciesSupported(input);
        var v = new Validator(localizer);
        EventRules.Validate(v, input, now);
        v.ThrowIfInvalid();

        var e = new Event
        {
            Id = Guid.CreateVersion7(), OwnerId = user.UserId(), Status = EventStatus.Draft, CreatedAt = now, UpdatedAt = now,
        };
        ApplyScalars(e, input, user.IsAdmin());
        foreach (var p in input.Performances!) e.Performances.Add(NewPerformance(e.Id, p));
        e.RefreshSearchText();

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Reserved seating: a performance with a seatingPlanId gets its seats (and its categories their capacities).
        for (var i = 0; i < input.Performances!.Count; i++)
            if (input.Performances[i].SeatingPlanId is { } planId)
                await Seating.PerformanceSeating.AttachAsync(db, e.Performances[i], planId, Actor.From(user), $"performances[{i}].seatingPlanId", v, ct);
        v.ThrowIfInvalid();
        db.Events.Add(e);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Event {EventId} created by {UserId} with {Performances} performance(s)", e.Id, e.OwnerId, e.Performances.Count);
        await changes.EventChangedAsync(e.Id);
        return ToDetail(e, now);
    }

    /// <summary>
    /// Replaces the event's details, performances and categories (matched by id). A capacity is lowered only by a conditional
    /// UPDATE (<c>WHERE Sold + Held &lt;= new capacity</c>) inside the transaction; a category or performance with seats sold or
    /// held cannot be removed.
    /// </summary>
    public async Task<EventDetail> UpdateAsync(Guid id, EventInput input, ClaimsPrincipal user, CancellationToken ct = default)
    {
        RequireOrganizer(user);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var e = await LoadAsync(db, id, tracking: true, ct);
        EnsureCanWrite(e, user);
        if (e!.Status == EventStatus.Cancelled) throw new DomainException(ErrorCodes.EventCancelled, localizer["Error.event_cancelled"]);

        var existing = e.Performances.ToDictionary(p => p.Id,
            p => new ExistingPerformance(p.StartsAt, p.Categories.Select(c => c.Id).ToHashSet()));
        EnsureCurrenciesSupported(input);
        var v = new Validator(localizer);
        EventRules.Validate(v, input, now, existing);
        // A date's seating is fixed when the date is created (its seat rows and seated categories are made then): a plan
        // given for an existing date that has another one (or none) is refused, not ignored.
        for (var i = 0; i < input.Performances!.Count; i++)
            if (input.Performances[i] is { Id: { } pid, SeatingPlanId: { } plan } && e.Performances.FirstOrDefault(x => x.Id == pid) is { } had
                && had.SeatingPlanId != plan)
                v.Add($"performances[{i}].seatingPlanId", "Validation.SeatingPlanFixed");
        v.ThrowIfInvalid();

        var keptPerformanceIds = input.Performances!.Where(p => p.Id is not null).Select(p => p.Id!.Value).ToHashSet();
        var removedPerformances = e.Performances.Where(p => !keptPerformanceIds.Contains(p.Id)).ToList();
        var removedCategories = removedPerformances.SelectMany(p => p.Categories).ToList();
        foreach (var p in input.Performances!.Where(p => p.Id is not null))
        {
            var stored = e.Performances.Single(x => x.Id == p.Id);
            var kept = p.Categories!.Where(c => c.Id is not null).Select(c => c.Id!.Value).ToHashSet();
            removedCategories.AddRange(stored.Categories.Where(c => !kept.Contains(c.Id)));
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);

        // 0. One currency per event: it changes only while nobody has ordered (orders keep the currency they were made in).
        var storedCurrency = e.Performances.SelectMany(p => p.Categories).Select(c => c.Currency).FirstOrDefault();
        if (storedCurrency is not null && storedCurrency != EventRules.EventCurrency(input)
            && await db.Orders.AnyAsync(o => o.EventId == e.Id, ct))
            throw new DomainException(ErrorCodes.EventHasSales, localizer["Error.currency_has_sales"]);

        // 1. Capacity changes first: each one is a guarded UPDATE that takes the row's lock until COMMIT, in category id
        //    order (the lock order of every transaction that moves seats); the first refusal in the input's order answers.
        var resizes = new List<(int I, int J, PriceCategory Category, int Capacity)>();
        for (var i = 0; i < input.Performances!.Count; i++)
        {
            var p = input.Performances[i];
            if (p.Id is null) continue;
            var stored = e.Performances.Single(x => x.Id == p.Id);
            for (var j = 0; j < p.Categories!.Count; j++)
            {
                var c = p.Categories[j];
                if (c.Id is null) continue;
                var cat = stored.Categories.Single(x => x.Id == c.Id);
                // A seated category's capacity is its seats (reserved seating): the input's capacity is ignored.
                if (c.Capacity!.Value != cat.Capacity && !cat.Seated) resizes.Add((i, j, cat, c.Capacity.Value));
            }
        }
        (int I, int J, int Floor)? refused = null;
        foreach (var (i, j, cat, capacity) in resizes.OrderBy(r => r.Category.Id))
        {
            if (await seats.TryResizeAsync(db, cat.Id, capacity, ct) is { } floor)
            {
                if (refused is null || (i, j).CompareTo((refused.Value.I, refused.Value.J)) < 0) refused = (i, j, floor);
                continue;
            }
            // Already written by the guarded UPDATE: the change tracker must not write it again.
            var tracked = db.Entry(cat).Property(x => x.Capacity);
            tracked.CurrentValue = capacity;
            tracked.OriginalValue = capacity;
        }
        if (refused is { } r) throw CapacityBelowSold($"performances[{r.I}].categories[{r.J}].capacity", r.Floor);

        // 2. Removals: only rows with nothing sold or held go; anything else refuses the whole update.
        if (removedCategories.Count > 0)
        {
            var ids = removedCategories.Select(c => c.Id).ToList();
            var deleted = await seats.RemoveUnsoldAsync(db, ids, ct);
            if (deleted != ids.Count) throw new DomainException(ErrorCodes.EventHasSales, localizer["Error.category_has_sales"]);
            foreach (var c in removedCategories)
            {
                db.Entry(c).State = EntityState.Detached;
                e.Performances.Single(p => p.Id == c.PerformanceId).Categories.Remove(c);
            }
        }
        if (removedPerformances.Count > 0)
        {
            var ids = removedPerformances.Select(p => p.Id).ToList();
            await db.Performances.Where(p => ids.Contains(p.Id)).ExecuteDeleteAsync(ct);
            foreach (var p in removedPerformances)
            {
                db.Entry(p).State = EntityState.Detached;
                e.Performances.Remove(p);
            }
        }

        // 3. Everything else through the change tracker.
        ApplyScalars(e, input, user.IsAdmin());
        foreach (var p in input.Performances!)
        {
            if (p.Id is null)
            {
                var added = NewPerformance(e.Id, p);
                if (p.SeatingPlanId is { } planId)
                {
                    var sv = new Validator(localizer);
                    await Seating.PerformanceSeating.AttachAsync(db, added, planId, Actor.From(user), "seatingPlanId", sv, ct);
                    sv.ThrowIfInvalid();
                }
                db.Performances.Add(added); // fix-up adds it to e.Performances
                continue;
            }
            var stored = e.Performances.Single(x => x.Id == p.Id);
            var startsAt = p.StartsAt!.Value.ToUniversalTime();
            if (stored.StartsAt != startsAt) stored.StartsAt = startsAt;
            stored.VenueName = p.Venue!.Name!.Trim();
            stored.SetCity(p.Venue.City!.Trim());
            stored.Address = p.Venue.Address?.Trim() ?? "";
            stored.Country = Country(p.Venue.Country);
            stored.SalesOpenAt = p.SalesOpenAt?.ToUniversalTime();
            stored.SalesCloseAt = p.SalesCloseAt?.ToUniversalTime();
            for (var j = 0; j < p.Categories!.Count; j++)
            {
                var c = p.Categories[j];
                if (c.Id is null)
                {
                    db.PriceCategories.Add(NewCategory(stored.Id, c, j)); // fix-up adds it to stored.Categories
                    continue;
                }
                var cat = stored.Categories.Single(x => x.Id == c.Id);
                cat.Name = c.Name!.Trim();
                cat.PriceMinor = Money.ToMinor(c.Price!.Value);
                cat.VatRateBasisPoints = VatBasisPoints(c.VatRate);
                cat.Currency = Currency(c.Currency);
                cat.SortOrder = j;
                cat.PresaleOnly = c.PresaleOnly ?? cat.PresaleOnly;
            }
        }
        e.UpdatedAt = now;
        e.RefreshSearchText();
        try
        {
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            onSale.Invalidate();
        }
        catch (DbUpdateException ex)
        {
            // The CHECK constraint (Sold + Held <= Capacity) is the last line of defence.
            logger.LogWarning(ex, "Update of event {EventId} refused by the database", id);
            throw new DomainException(ErrorCodes.CapacityBelowSold, localizer["Error.capacity_below_sold"]);
        }
        logger.LogInformation("Event {EventId} updated by {UserId}", id, user.UserId());
        await changes.EventChangedAsync(id);
        return ToDetail(e, now);
    }

    /// <summary>204 when nothing was ever sold or held (one guarded DELETE); else 409 <c>event_has_sales</c>.</summary>
    public async Task DeleteAsync(Guid id, ClaimsPrincipal user, CancellationToken ct = default)
    {
        RequireOrganizer(user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var e = await db.Events.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct);
        EnsureCanWrite(e, user);
        var deleted = await db.Events
            .Where(x => x.Id == id
                        && !db.PriceCategories.Any(c => c.Performance!.EventId == id && (c.Sold > 0 || c.Held > 0))
                        && !db.OrderItems.Any(i => db.PriceCategories.Any(c => c.Id == i.CategoryId && c.Performance!.EventId == id)))
            .ExecuteDeleteAsync(ct);
        if (deleted == 0) throw new DomainException(ErrorCodes.EventHasSales, localizer["Error.event_has_sales"]);
        onSale.Invalidate();
        images.DeleteIfUploaded(e!.ImageUrl);
        logger.LogInformation("Event {EventId} deleted by {UserId}", id, user.UserId());
        await changes.EventChangedAsync(id);
    }

    public async Task<EventDetail> PublishAsync(Guid id, ClaimsPrincipal user, CancellationToken ct = default)
    {
        RequireOrganizer(user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var e = await LoadAsync(db, id, tracking: true, ct);
        EnsureCanWrite(e, user);
        if (e!.Status == EventStatus.Cancelled) throw new DomainException(ErrorCodes.EventCancelled, localizer["Error.event_cancelled"]);
        var now = clock.GetUtcNow();
        e.Publish(now);
        e.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        onSale.Invalidate();
        logger.LogInformation("Event {EventId} published by {UserId}", id, user.UserId());
        await changes.EventChangedAsync(id);
        return ToDetail(e, now);
    }

    /// <summary>Stores an uploaded poster (PNG, JPEG, WebP or GIF by its magic bytes, at most 2 MB) and points the event at it.</summary>
    public async Task<string> SetImageAsync(Guid id, Stream content, ClaimsPrincipal user, CancellationToken ct = default)
    {
        RequireOrganizer(user);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var e = await db.Events.FirstOrDefaultAsync(x => x.Id == id, ct);
        EnsureCanWrite(e, user);

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxImageBytes)
                throw Field("image", "Validation.ImageSize", MaxImageBytes / (1024 * 1024));
        }
        var bytes = buffer.ToArray();
        var kind = ImageSniffer.Detect(bytes);
        if (bytes.Length == 0 || kind is null) throw Field("image", "Validation.ImageType");

        var url = await images.SaveAsync(bytes, kind, ct);
        var old = e!.ImageUrl;
        e.ImageUrl = url;
        e.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(ct);
        images.DeleteIfUploaded(old);
        logger.LogInformation("Event {EventId} image replaced ({Bytes} bytes, {Type})", id, bytes.Length, kind.ContentType);
        await changes.EventChangedAsync(id);
        return url;
    }

    // ---------------- helpers ----------------

    private static Task<Event?> LoadAsync(TicketingDbContext db, Guid id, bool tracking, CancellationToken ct)
    {
        var q = db.Events.Include(e => e.Performances).ThenInclude(p => p.Categories).AsSplitQuery();
        if (!tracking) q = q.AsNoTracking();
        return q.FirstOrDefaultAsync(e => e.Id == id, ct);
    }

    private static bool IsOwnerOrAdmin(Event e, ClaimsPrincipal? user) =>
        user?.Identity?.IsAuthenticated == true && (user.IsAdmin() || user.UserIdOrNull() == e.OwnerId);

    private static bool CanSee(Event e, ClaimsPrincipal? user) => e.Status != EventStatus.Draft || IsOwnerOrAdmin(e, user);

    private static void EnsureCanWrite(Event? e, ClaimsPrincipal user) => EventAccess.EnsureCanManage(e, Actor.FromAnyone(user));

    private void RequireOrganizer(ClaimsPrincipal user)
    {
        if (user.Identity?.IsAuthenticated != true || !(user.IsAdmin() || user.IsInRole(Roles.Organizer)))
            throw new ForbiddenException(localizer["Error.forbidden"]);
    }

    private DomainException CapacityBelowSold(string field, int floor) =>
        new(ErrorCodes.CapacityBelowSold, localizer["Error.capacity_below_sold"],
            new Dictionary<string, object?> { ["field"] = field, ["minimum"] = floor });

    /// <summary>400 <c>unsupported_currency</c> for a code outside the ISO 4217 list, before anything else is looked at.</summary>
    private void EnsureCurrenciesSupported(EventInput input)
    {
        if (EventRules.UnsupportedCurrency(input) is { } bad)
            throw new DomainException(ErrorCodes.UnsupportedCurrency, localizer["Error.unsupported_currency", bad.Code],
                new Dictionary<string, object?> { ["field"] = bad.Field, ["currency"] = bad.Code });
    }

    private RequestValidationException Field(string field, string key, params object[] args) =>
        new(new Validator(localizer).Add(field, key, args).Errors);

    private static void ApplyScalars(Event e, EventInput input, bool isAdmin)
    {
        e.Title = input.Title!.Trim();
        e.Description = input.Description!.Trim();
        e.DescriptionFr = string.IsNullOrWhiteSpace(input.DescriptionFr) ? null : input.DescriptionFr.Trim();
        e.Category = EventRules.ParseCategory(input.Category)!.Value;
        e.Artist = string.IsNullOrWhiteSpace(input.Artist) ? null : input.Artist.Trim();
        e.ImageUrl = string.IsNullOrWhiteSpace(input.ImageUrl) ? null : input.ImageUrl.Trim();
        e.MaxTicketsPerOrder = input.MaxTicketsPerOrder ?? Event.DefaultMaxTicketsPerOrder;
        e.MaxTicketsPerAccount = input.MaxTicketsPerAccount;
        e.MaxTicketsPerAccountPerCategory = input.MaxTicketsPerAccountPerCategory;
        e.BookingFeeMinor = Money.ToMinor(input.BookingFee ?? 0);
        if (isAdmin && input.IsFeatured is bool featured) e.IsFeatured = featured;
    }

    private static Performance NewPerformance(Guid eventId, PerformanceInput p)
    {
        var startsAt = p.StartsAt!.Value.ToUniversalTime();
        var perf = new Performance
        {
            Id = Guid.CreateVersion7(), EventId = eventId, StartsAt = startsAt, VenueName = p.Venue!.Name!.Trim(),
            Address = p.Venue.Address?.Trim() ?? "", Country = Country(p.Venue.Country),
            SalesOpenAt = p.SalesOpenAt?.ToUniversalTime(), SalesCloseAt = p.SalesCloseAt?.ToUniversalTime(),
        };
        perf.SetCity(p.Venue.City!.Trim());
        perf.TicketPrefix = Performance.MakeTicketPrefix(perf.City, startsAt, perf.Id);
        for (var j = 0; j < p.Categories!.Count; j++) perf.Categories.Add(NewCategory(perf.Id, p.Categories[j], j));
        return perf;
    }

    private static PriceCategory NewCategory(Guid performanceId, PriceCategoryInput c, int order) => new()
    {
        Id = Guid.CreateVersion7(), PerformanceId = performanceId, Name = c.Name!.Trim(), PriceMinor = Money.ToMinor(c.Price!.Value),
        Currency = Currency(c.Currency), Capacity = c.Capacity!.Value, SortOrder = order, VatRateBasisPoints = VatBasisPoints(c.VatRate),
        PresaleOnly = c.PresaleOnly ?? false,
    };

    private static int VatBasisPoints(decimal? percent) =>
        percent is { } p ? Receipts.VatRates.FromPercent(p) : Receipts.VatRates.DefaultBasisPoints;

    private static string Country(string? c) => string.IsNullOrWhiteSpace(c) ? "FR" : c.Trim().ToUpperInvariant();
    private static string Currency(string? c) => Currencies.Normalize(c);

    internal static EventDetail ToDetail(Event e, DateTimeOffset now)
    {
        var performances = e.Performances.OrderBy(p => p.StartsAt).Select(p =>
        {
            var cats = p.Categories.OrderBy(c => c.SortOrder).ThenByDescending(c => c.PriceMinor)
                .Select(c => new PriceCategoryDto(c.Id, c.Name, Money.ToDecimal(c.PriceMinor), c.PriceMinor, c.Currency, c.Capacity, c.Available,
                    Receipts.VatRates.ToPercent(c.VatRateBasisPoints), c.PresaleOnly, c.Seated))
                .ToList();
            var capacity = cats.Sum(c => c.Capacity);
            var available = cats.Sum(c => c.Available);
            return new PerformanceDto(p.Id, p.StartsAt, p.TimeZoneId, new VenueDto(p.VenueName, p.City, p.Address, p.Country),
                p.SalesOpenAt, p.SalesCloseAt, p.TicketPrefix, cats, capacity, available,
                Availability.Cheapest(cats, c => c.Available, c => c.PriceMinor)?.Price, Availability.IsSoldOut(capacity, available), Availability.IsLastSeats(capacity, available));
        }).ToList();
        var upcoming = performances.Where(p => p.StartsAt >= now).ToList();
        var basis = upcoming.Count > 0 ? upcoming : performances;
        var cheapest = Availability.Cheapest(basis.SelectMany(p => p.Categories).ToList(), c => c.Available, c => c.PriceMinor);
        var cap = upcoming.Sum(p => p.Capacity);
        var avail = upcoming.Sum(p => p.Available);
        return new EventDetail(e.Id, e.Title, e.Description, e.DescriptionFr, e.Category.ToString(), e.Artist, e.ImageUrl, e.Status.ToString(),
            e.MaxTicketsPerOrder, e.IsFeatured, e.OwnerId, e.CreatedAt, e.PublishedAt, e.CancelledAt, performances,
            Availability.Cities(basis.Select(p => p.Venue.City)),
            basis.FirstOrDefault()?.StartsAt, basis.LastOrDefault()?.StartsAt, cheapest?.Price, cheapest?.Currency ?? "EUR",
            upcoming.Count > 0 && Availability.IsSoldOut(cap, avail), upcoming.Count > 0 && Availability.IsLastSeats(cap, avail),
            e.MaxTicketsPerAccount, e.MaxTicketsPerAccountPerCategory, Money.ToDecimal(e.BookingFeeMinor));
    }
}

/// <summary>The catalogue's availability flags, the same on cards, the event page and the API.</summary>
public static class Availability
{
    public static bool IsSoldOut(int capacity, int available) => capacity > 0 && available <= 0;

    /// <summary>The badge: sold out only when no seat is held either; while others hold the last seats, some may come back.</summary>
    public static AvailabilityState State(int capacity, int available, int held) =>
        available > 0 ? (IsLastSeats(capacity, available) ? AvailabilityState.LastSeats : AvailabilityState.Available)
        : capacity > 0 && held > 0 ? AvailabilityState.AllHeld
        : capacity > 0 ? AvailabilityState.SoldOut : AvailabilityState.Available;

    /// <summary>Few seats left: at most 20, or at most 10 % of the capacity.</summary>
    public static bool IsLastSeats(int capacity, int available) =>
        available > 0 && (available <= 20 || available * 10L <= capacity);

    /// <summary>The cheapest category still on sale ("from 45 €"), or the cheapest of all when everything is sold out.</summary>
    public static T? Cheapest<T>(IReadOnlyCollection<T> categories, Func<T, int> available, Func<T, long> priceMinor) where T : class =>
        categories.Where(c => available(c) > 0).MinBy(priceMinor) ?? categories.MinBy(priceMinor);

    public static IReadOnlyList<string> Cities(IEnumerable<string> citiesInDateOrder) =>
        citiesInDateOrder.Distinct(StringComparer.OrdinalIgnoreCase).ToList();

    /// <summary>URL slug of a title: "Aurora — World Tour 2027" -> "aurora-world-tour-2027".</summary>
    public static string Slug(string title)
    {
        var folded = SearchText.Normalize(title);
        var sb = new System.Text.StringBuilder(folded.Length);
        foreach (var ch in folded)
        {
            if (char.IsAsciiLetterOrDigit(ch)) sb.Append(ch);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        }
        var slug = sb.ToString().Trim('-');
        return slug.Length > 80 ? slug[..80].TrimEnd('-') : slug;
    }
}
