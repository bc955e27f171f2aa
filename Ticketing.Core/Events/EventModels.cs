namespace Ticketing.Core.Events;

// ---- Input (API body of POST/PUT /api/events and the organizer form; mutable so MudBlazor forms bind to it) ----

public sealed class EventInput
{
    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? DescriptionFr { get; set; }
    /// <summary>One of <see cref="EventCategory"/> by name ("Concert", "Theatre"…).</summary>
    public string? Category { get; set; }
    public string? Artist { get; set; }
    public string? ImageUrl { get; set; }
    public int? MaxTicketsPerOrder { get; set; }
    /// <summary>Tickets (paid + held) one account may have for the event; absent: the platform default (<c>Orders:MaxTicketsPerAccount</c>).</summary>
    public int? MaxTicketsPerAccount { get; set; }
    /// <summary>Tickets one account may have in one price category; absent: <c>Orders:MaxTicketsPerAccountPerCategory</c>.</summary>
    public int? MaxTicketsPerAccountPerCategory { get; set; }
    public bool? IsFeatured { get; set; }
    /// <summary>Optional booking fee per ticket, VAT included (taxed at 20 %), in the event's currency; absent or 0: none.</summary>
    public decimal? BookingFee { get; set; }
    public List<PerformanceInput>? Performances { get; set; } = [];
}

public sealed class PerformanceInput
{
    /// <summary>Set on update to keep an existing performance; absent for a new one.</summary>
    public Guid? Id { get; set; }
    public DateTimeOffset? StartsAt { get; set; }
    public VenueInput? Venue { get; set; } = new();
    public DateTimeOffset? SalesOpenAt { get; set; }
    public DateTimeOffset? SalesCloseAt { get; set; }
    public List<PriceCategoryInput>? Categories { get; set; } = [];
    /// <summary>The contract's <c>waitingRoom: {enabled, admitPerMinute}</c> on PUT /api/events/{id}: opens at salesOpenAt.</summary>
    public WaitingRoom.QueueSettingsInput? WaitingRoom { get; set; }
    /// <summary>Reserved seating: the plan this new performance sells (its categories matched to the plan's category names).</summary>
    public Guid? SeatingPlanId { get; set; }
}

public sealed class VenueInput
{
    public string? Name { get; set; }
    public string? City { get; set; }
    public string? Address { get; set; }
    /// <summary>ISO 3166 alpha-2, default FR.</summary>
    public string? Country { get; set; }
}

public sealed class PriceCategoryInput
{
    public Guid? Id { get; set; }
    public string? Name { get; set; }
    public decimal? Price { get; set; }
    public string? Currency { get; set; }
    public int? Capacity { get; set; }
    /// <summary>VAT rate in percent included in the price (5.5 = the French live-show rate, the default).</summary>
    public decimal? VatRate { get; set; }
    /// <summary>Hidden from the public, sold only with an access code (absent on an update: unchanged).</summary>
    public bool? PresaleOnly { get; set; }
}

// ---- Output ----

public sealed record VenueDto(string Name, string City, string Address, string Country);

public sealed record PriceCategoryDto(Guid Id, string Name, decimal Price, long PriceMinor, string Currency, int Capacity, int Available,
    decimal VatRate = 5.5m, bool PresaleOnly = false, bool Seated = false);

public sealed record PerformanceDto(
    Guid Id, DateTimeOffset StartsAt, string TimeZoneId, VenueDto Venue, DateTimeOffset? SalesOpenAt, DateTimeOffset? SalesCloseAt,
    string TicketPrefix, IReadOnlyList<PriceCategoryDto> Categories, int Capacity, int Available, decimal? PriceFrom, bool SoldOut, bool LastSeats);

public sealed record EventDetail(
    Guid Id, string Title, string Description, string? DescriptionFr, string Category, string? Artist, string? ImageUrl,
    string Status, int MaxTicketsPerOrder, bool IsFeatured, Guid OwnerId, DateTimeOffset CreatedAt, DateTimeOffset? PublishedAt,
    DateTimeOffset? CancelledAt, IReadOnlyList<PerformanceDto> Performances, IReadOnlyList<string> Cities,
    DateTimeOffset? FirstDate, DateTimeOffset? LastDate, decimal? PriceFrom, string Currency, bool SoldOut, bool LastSeats,
    int? MaxTicketsPerAccount = null, int? MaxTicketsPerAccountPerCategory = null, decimal BookingFee = 0)
{
    /// <summary>The description in the reader's language, falling back to English.</summary>
    public string DescriptionFor(string language) =>
        language == "fr" && !string.IsNullOrWhiteSpace(DescriptionFr) ? DescriptionFr! : Description;
}

/// <summary>A card of the catalogue (home rows, search results, GET /api/events).</summary>
public sealed record EventListItem(
    Guid Id, string Title, string Category, string? Artist, string? ImageUrl, string Status, IReadOnlyList<string> Cities, string? City,
    int CityCount, int PerformanceCount, DateTimeOffset? FirstDate, DateTimeOffset? LastDate, decimal? PriceFrom, long? PriceFromMinor,
    string Currency, bool SoldOut, bool LastSeats, bool IsFeatured, string Slug);

public enum CatalogSort { Date, Price, Title, Popular }

/// <summary>The public catalogue's filters (GET /api/events and /search).</summary>
public sealed record CatalogQuery
{
    public string? Q { get; init; }
    public string? City { get; init; }
    public string? Category { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public decimal? MaxPrice { get; init; }
    public CatalogSort Sort { get; init; } = CatalogSort.Date;
    public bool? Featured { get; init; }
}

/// <summary>A row of the organizer dashboard.</summary>
public sealed record DashboardEvent(
    Guid Id, string Title, string Category, string Status, string? ImageUrl, Guid OwnerId, int PerformanceCount,
    DateTimeOffset? FirstDate, DateTimeOffset? LastDate, int Capacity, int Sold, int Held, long RevenueMinor, string Currency);

/// <summary>The home page: carousel and rows.</summary>
public sealed record CatalogHome(
    IReadOnlyList<EventListItem> Featured, IReadOnlyList<EventListItem> ThisWeek, IReadOnlyList<EventListItem> Upcoming,
    IReadOnlyList<EventListItem> BestSellers, IReadOnlyList<CategoryRow> ByCategory);

public sealed record CategoryRow(EventCategory Category, IReadOnlyList<EventListItem> Events);
