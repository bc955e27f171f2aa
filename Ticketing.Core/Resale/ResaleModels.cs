namespace Ticketing.Core.Resale;

/// <summary><c>POST /api/tickets/{id}/resale</c>: the asking price (at most what the holder paid for the ticket).</summary>
public sealed record ListTicketRequest(decimal? Price);

/// <summary>A listing as its seller sees it (and the buyers, without the ticket).</summary>
public sealed record ResaleListingDto(Guid Id, Guid TicketId, Guid EventId, Guid PerformanceId, Guid CategoryId, string CategoryName,
    decimal Price, string Currency, string Status, DateTimeOffset CreatedAt, DateTimeOffset? SoldAt, bool SellerRefunded);

/// <summary>A listing on sale, as a fan browsing a performance sees it.</summary>
public sealed record ResaleOfferDto(Guid Id, Guid PerformanceId, Guid CategoryId, string CategoryName, decimal Price, string Currency);

/// <summary><c>PUT /api/events/{id}/resale</c> and its answer: the organizer's switch.</summary>
public sealed record ResaleSettingDto(bool Enabled);
