using Ticketing.Core.Common;

namespace Ticketing.Core.Events;

public enum EventStatus { Draft, Published, Cancelled }

public enum EventCategory { Concert, Theatre, Comedy, Show, Festival, Sport, Family }

/// <summary>A school gala, a club night, a festival or an artist's tour: one or more performances.</summary>
public sealed class Event
{
    public Guid Id { get; set; }
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    /// <summary>Optional French description (demo data and bilingual organizers); the UI falls back to <see cref="Description"/>.</summary>
    public string? DescriptionFr { get; set; }
    public EventCategory Category { get; set; }
    public string? Artist { get; set; }
    public string? ImageUrl { get; set; }
    public Guid OwnerId { get; set; }
    public EventStatus Status { get; set; } = EventStatus.Draft;
    public int MaxTicketsPerOrder { get; set; } = DefaultMaxTicketsPerOrder;
    /// <summary>Tickets (paid + held) one account may have for this event; null: the platform's <c>Orders:MaxTicketsPerAccount</c>.</summary>
    public int? MaxTicketsPerAccount { get; set; }
    /// <summary>Tickets one account may have in one price category of this event; null: <c>Orders:MaxTicketsPerAccountPerCategory</c>.</summary>
    public int? MaxTicketsPerAccountPerCategory { get; set; }
    public bool IsFeatured { get; set; }
    /// <summary>Optional booking fee per ticket, in minor units, VAT included (at <see cref="Receipts.VatRates.BookingFeeBasisPoints"/>).</summary>
    public long BookingFeeMinor { get; set; }
    /// <summary>Accent- and case-folded title, artist, description, cities and venues (see <see cref="SearchText"/>).</summary>
    public string SearchText { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public DateTimeOffset? CancelledAt { get; set; }
    /// <summary>Whether holders may pass a ticket on (<c>POST /api/tickets/{id}/transfer</c>); false: "not transferable".</summary>
    public bool Transferable { get; set; } = true;
    /// <summary>How many times one seat's ticket may be transferred; null: no limit.</summary>
    public int? MaxTransfersPerTicket { get; set; }
    /// <summary>Whether holders may sell their tickets at face value to other fans (the organizer's switch; off by default).</summary>
    public bool ResaleEnabled { get; set; }

    public List<Performance> Performances { get; set; } = [];

    public const int DefaultMaxTicketsPerOrder = 10;
    public const int MaxTicketsPerOrderLimit = 50;
    /// <summary>The highest per-account cap an event (or the platform) may set.</summary>
    public const int MaxTicketsPerAccountLimit = 10_000;

    /// <summary>The size of the <see cref="SearchText"/> column: long descriptions and many venues are cut, never refused.</summary>
    public const int SearchTextMaxLength = 20000;

    public void RefreshSearchText()
    {
        var text = Common.SearchText.Normalize(string.Join(' ', new[] { Title, Artist, Description, DescriptionFr }
            .Concat(Performances.SelectMany(p => new[] { p.City, p.VenueName, p.Country }))
            .Where(s => !string.IsNullOrWhiteSpace(s)).Distinct(StringComparer.OrdinalIgnoreCase)));
        if (text.Length > SearchTextMaxLength)
            text = text[..(char.IsHighSurrogate(text[SearchTextMaxLength - 1]) ? SearchTextMaxLength - 1 : SearchTextMaxLength)];
        SearchText = text;
    }

    public void Publish(DateTimeOffset now)
    {
        if (Status == EventStatus.Cancelled) throw new DomainException(ErrorCodes.EventCancelled);
        if (Status == EventStatus.Published) return;
        Status = EventStatus.Published;
        PublishedAt = now;
    }

    /// <summary>Idempotent: cancelling twice changes nothing.</summary>
    public bool Cancel(DateTimeOffset now)
    {
        if (Status == EventStatus.Cancelled) return false;
        Status = EventStatus.Cancelled;
        CancelledAt = now;
        return true;
    }
}

/// <summary>A date at a venue in a city.</summary>
public sealed class Performance
{
    public Guid Id { get; set; }
    public Guid EventId { get; set; }
    public Event? Event { get; set; }
    public DateTimeOffset StartsAt { get; set; }
    public string VenueName { get; set; } = "";
    public string City { get; set; } = "";
    /// <summary>Accent- and case-folded <see cref="City"/> ("Besançon" -> "besancon"): the city filter compares it on both databases.</summary>
    public string CityKey { get; set; } = "";
    public string Address { get; set; } = "";
    public string Country { get; set; } = "FR";
    /// <summary>IANA time zone of the venue, for display (instants are stored in UTC).</summary>
    public string TimeZoneId { get; set; } = "Europe/Paris";
    public DateTimeOffset? SalesOpenAt { get; set; }
    public DateTimeOffset? SalesCloseAt { get; set; }
    /// <summary>Human prefix of this performance's ticket numbers, e.g. <c>PAR-0612</c>.</summary>
    public string TicketPrefix { get; set; } = "";
    /// <summary>Last ticket sequence number issued; advanced atomically by the payment transaction.</summary>
    public int LastTicketNumber { get; set; }
    /// <summary>The seating plan this performance sells (reserved seating); null: general admission only.</summary>
    public Guid? SeatingPlanId { get; set; }

    public List<PriceCategory> Categories { get; set; } = [];

    public void SetCity(string city)
    {
        City = city;
        CityKey = Common.SearchText.Normalize(city);
    }

    /// <summary>
    /// "LYO-1224-3F9A2": city, day, and 5 characters of the performance id. Ticket numbers are unique across the whole
    /// database, and two performances in one city on one day (a matinee, two events) must not share a prefix.
    /// </summary>
    public static string MakeTicketPrefix(string city, DateTimeOffset startsAt, Guid performanceId)
    {
        var letters = new string(Common.SearchText.Normalize(city).Where(char.IsAsciiLetter).Take(3).ToArray()).ToUpperInvariant();
        if (letters.Length < 3) letters = letters.PadRight(3, 'X');
        return $"{letters}-{startsAt.UtcDateTime:MMdd}-{performanceId.ToString("N")[^5..].ToUpperInvariant()}";
    }
}

/// <summary>"Carré Or", "Cat 1", "Fosse"…: a price and a capacity. Counters are changed only by atomic SQL updates.</summary>
public sealed class PriceCategory
{
    public Guid Id { get; set; }
    public Guid PerformanceId { get; set; }
    public Performance? Performance { get; set; }
    public string Name { get; set; } = "";
    public long PriceMinor { get; set; }
    public string Currency { get; set; } = "EUR";
    public int Capacity { get; set; }
    /// <summary>Seats paid for.</summary>
    public int Sold { get; set; }
    /// <summary>Seats reserved by unpaid holds.</summary>
    public int Held { get; set; }
    /// <summary>
    /// Seats wanted by the category's waiting line (the sum of its <c>Waiting</c> entries' quantities): the public may hold
    /// only what is free beyond them. Changed only through <see cref="Inventory.SeatInventory"/>, with the entries.
    /// </summary>
    public int WaitlistSeats { get; set; }
    public int SortOrder { get; set; }
    /// <summary>VAT rate included in the price, in basis points (550 = 5.5%, the French live-show rate).</summary>
    public int VatRateBasisPoints { get; set; } = Receipts.VatRates.DefaultBasisPoints;
    /// <summary>Reserved seating: the category sells numbered seats (its capacity is its seats' count; holds name seats).</summary>
    public bool Seated { get; set; }

    /// <summary>What the public may hold: what is free beyond the seats the waiting line wants.</summary>
    public int Available => Math.Max(0, Capacity - Sold - Held - WaitlistSeats);
    /// <summary>Hidden from the public: sold only with an access code of the event that covers it (presales).</summary>
    public bool PresaleOnly { get; set; }
}
