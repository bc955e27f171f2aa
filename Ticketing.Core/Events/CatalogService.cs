using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Ticketing.Core.Common;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Events;

/// <summary>
/// The public catalogue: published events with a performance still to come. Search is accent- and case-insensitive on
/// both databases through the stored, folded <see cref="Event.SearchText"/> and <see cref="Performance.CityKey"/>.
/// </summary>
public sealed class CatalogService(IDbContextFactory<TicketingDbContext> dbFactory, IStringLocalizer<SharedResource> localizer, TimeProvider clock)
{
    public const int RowSize = 12;

    /// <summary>The live availability of dates (published or cancelled events only; drafts and unknown ids are left out).</summary>
    public async Task<IReadOnlyList<PerformanceAvailability>> AvailabilityAsync(IReadOnlyCollection<Guid> performanceIds, CancellationToken ct = default)
    {
        if (performanceIds.Count == 0) return [];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.PriceCategories.AsNoTracking()
            .Where(c => performanceIds.Contains(c.PerformanceId) && c.Performance!.Event!.Status != EventStatus.Draft && !c.PresaleOnly)
            .Select(c => new { c.PerformanceId, c.Id, c.Capacity, c.Sold, c.Held, c.WaitlistSeats, c.SortOrder, c.PriceMinor })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.PerformanceId).Select(g =>
        {
            var cats = g.OrderBy(c => c.SortOrder).ThenByDescending(c => c.PriceMinor).Select(c =>
            {
                // What the public may hold: beyond the seats the waiting line wants.
                var available = Math.Max(0, c.Capacity - c.Sold - c.Held - c.WaitlistSeats);
                return new CategoryAvailability(c.Id, Availability.State(c.Capacity, available, c.Held), c.Capacity, available, c.Held);
            }).ToList();
            int capacity = cats.Sum(c => c.Capacity), available = cats.Sum(c => c.Available), held = cats.Sum(c => c.Held);
            return new PerformanceAvailability(g.Key, Availability.State(capacity, available, held), capacity, available, held, cats);
        }).ToList();
    }

    public async Task<PagedResult<EventListItem>> SearchAsync(CatalogQuery query, PageRequest page, CancellationToken ct = default)
    {
        var v = new Validator(localizer);
        v.Text("q", query.Q, SearchTerms.MaxLength);
        v.Text("city", query.City, SearchTerms.MaxLength);
        v.Text("category", query.Category, SearchTerms.MaxLength);
        EventCategory? category = null;
        if (!string.IsNullOrWhiteSpace(query.Category))
        {
            category = EventRules.ParseCategory(query.Category);
            if (category is null) v.Add("category", "Validation.UnknownEventCategory", query.Category);
        }
        if (query.MaxPrice < 0) v.Add("maxPrice", "Validation.NegativePrice");
        if (query.From is { } f0 && query.To is { } t0 && t0 < f0) v.Add("to", "Validation.DateRange");
        v.ThrowIfInvalid();

        var now = clock.GetUtcNow();
        var from = query.From is { } f && f.ToUniversalTime() > now ? f.ToUniversalTime() : now;
        var to = query.To?.ToUniversalTime();
        // A date-only "to" (midnight) means the whole day.
        if (to is { } t && t.TimeOfDay == TimeSpan.Zero && t < DateTimeOffset.MaxValue.AddDays(-1)) to = t.AddDays(1).AddTicks(-1);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var performances = db.Performances.Where(p => p.StartsAt >= from);
        if (to is { } upper) performances = performances.Where(p => p.StartsAt <= upper);
        var cityKey = SearchText.Normalize(query.City);
        if (cityKey.Length > 0) performances = performances.Where(p => p.CityKey.Contains(cityKey));
        if (query.MaxPrice is { } maxPrice)
        {
            // No price is above EventRules.MaxPrice: a larger filter means "any price" (and never overflows the conversion).
            var maxMinor = Money.ToMinor(Math.Min(maxPrice, EventRules.MaxPrice));
            performances = performances.Where(p => p.Categories.Any(c => c.PriceMinor <= maxMinor));
        }

        var events = db.Events.AsNoTracking()
            .Where(e => e.Status == EventStatus.Published && performances.Any(p => p.EventId == e.Id));
        if (category is { } cat) events = events.Where(e => e.Category == cat);
        if (query.Featured == true) events = events.Where(e => e.IsFeatured);
        foreach (var word in SearchText.Normalize(query.Q).Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(8))
            events = events.Where(e => e.SearchText.Contains(word));

        var total = await events.CountAsync(ct);
        if (total == 0) return new PagedResult<EventListItem>([], page.Page, page.PageSize, 0);

        var ordered = query.Sort switch
        {
            CatalogSort.Price => events
                .OrderBy(e => performances.Where(p => p.EventId == e.Id).SelectMany(p => p.Categories).Min(c => c.PriceMinor))
                .ThenBy(e => e.Title).ThenBy(e => e.Id),
            CatalogSort.Title => events.OrderBy(e => e.Title).ThenBy(e => e.Id),
            CatalogSort.Popular => events
                .OrderByDescending(e => e.Performances.SelectMany(p => p.Categories).Sum(c => c.Sold))
                .ThenBy(e => e.Title).ThenBy(e => e.Id),
            _ => events
                .OrderBy(e => performances.Where(p => p.EventId == e.Id).Min(p => p.StartsAt))
                .ThenBy(e => e.Title).ThenBy(e => e.Id),
        };
        var ids = await ordered.Select(e => e.Id).Skip(page.Skip).Take(page.PageSize).ToListAsync(ct);
        var items = await LoadItemsAsync(db, ids, now, ct);
        return new PagedResult<EventListItem>(items, page.Page, page.PageSize, total);
    }

    /// <summary>The home page: carousel, curated rows and one row per category with content.</summary>
    public async Task<CatalogHome> HomeAsync(CancellationToken ct = default)
    {
        var row = PageRequest.Create(1, RowSize);
        var now = clock.GetUtcNow();
        var featured = (await SearchAsync(new CatalogQuery { Featured = true, Sort = CatalogSort.Popular }, PageRequest.Create(1, 6), ct)).Items;
        var best = (await SearchAsync(new CatalogQuery { Sort = CatalogSort.Popular }, row, ct)).Items;
        if (featured.Count == 0) featured = best.Take(5).ToList();
        var week = (await SearchAsync(new CatalogQuery { From = now, To = now.AddDays(7) }, row, ct)).Items;
        var upcoming = (await SearchAsync(new CatalogQuery(), row, ct)).Items;
        var byCategory = new List<CategoryRow>();
        foreach (var c in Enum.GetValues<EventCategory>())
        {
            var items = (await SearchAsync(new CatalogQuery { Category = c.ToString() }, row, ct)).Items;
            if (items.Count > 0) byCategory.Add(new CategoryRow(c, items));
        }
        return new CatalogHome(featured, week, upcoming, best, byCategory);
    }

    private static async Task<List<EventListItem>> LoadItemsAsync(TicketingDbContext db, List<Guid> ids, DateTimeOffset now, CancellationToken ct)
    {
        var rows = await db.Events.AsNoTracking().Where(e => ids.Contains(e.Id))
            .Select(e => new
            {
                e.Id, e.Title, e.Category, e.Artist, e.ImageUrl, e.Status, e.IsFeatured,
                Performances = e.Performances.Where(p => p.StartsAt >= now)
                    .Select(p => new
                    {
                        p.StartsAt, p.City,
                        Categories = p.Categories.Where(c => !c.PresaleOnly).Select(c => new { c.PriceMinor, c.Currency, c.Capacity, c.Sold, c.Held, c.WaitlistSeats }).ToList(),
                    }).ToList(),
            })
            .AsSplitQuery()
            .ToListAsync(ct);
        var byId = rows.ToDictionary(r => r.Id);
        return ids.Where(byId.ContainsKey).Select(id =>
        {
            var r = byId[id];
            var perfs = r.Performances.OrderBy(p => p.StartsAt).ToList();
            var cats = perfs.SelectMany(p => p.Categories).ToList();
            var cheapest = Availability.Cheapest(cats, c => Math.Max(0, c.Capacity - c.Sold - c.Held - c.WaitlistSeats), c => c.PriceMinor);
            var cities = Availability.Cities(perfs.Select(p => p.City));
            var capacity = cats.Sum(c => c.Capacity);
            var available = cats.Sum(c => Math.Max(0, c.Capacity - c.Sold - c.Held - c.WaitlistSeats));
            return new EventListItem(r.Id, r.Title, r.Category.ToString(), r.Artist, r.ImageUrl, r.Status.ToString(), cities,
                cities.Count == 1 ? cities[0] : null, cities.Count, perfs.Count, perfs.FirstOrDefault()?.StartsAt, perfs.LastOrDefault()?.StartsAt,
                cheapest is null ? null : Money.ToDecimal(cheapest.PriceMinor), cheapest?.PriceMinor, cheapest?.Currency ?? "EUR",
                Availability.IsSoldOut(capacity, available), Availability.IsLastSeats(capacity, available), r.IsFeatured, Availability.Slug(r.Title));
        }).ToList();
    }
}
