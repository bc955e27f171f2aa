namespace Ticketing.Core.Tickets;

/// <summary>Bound from "Tickets".</summary>
public sealed class TicketOptions
{
    public const string Section = "Tickets";
    /// <summary>Base64 HMAC key that signs ticket codes; generated once and kept in the database when not configured.</summary>
    public string? SigningKey { get; set; }
    /// <summary>Base64 32-byte Ed25519 seed that signs <c>TK2.</c> codes; generated once and kept (encrypted) in the database when not configured.</summary>
    public string? Ed25519PrivateKey { get; set; }
}

/// <summary>A ticket as the payment answers it: <c>{id, number, categoryName, holderName, performanceId}</c>.</summary>
public sealed record IssuedTicketDto(Guid Id, string Number, string CategoryName, string HolderName, Guid PerformanceId, string Status,
    Seating.SeatRefDto? Seat = null);

/// <summary><c>GET /api/tickets</c> item.</summary>
public sealed record TicketSummaryDto(
    Guid Id, string Number, string EventTitle, DateTimeOffset StartsAt, string Venue, string City, string CategoryName,
    string HolderName, string Status, Guid OrderId, Guid PerformanceId, decimal Price, string Currency,
    bool Received = false, bool Transferred = false, Seating.SeatRefDto? Seat = null);

/// <summary><c>GET /api/tickets/{id}</c>: with the signed <see cref="Code"/> that the QR code carries.</summary>
public sealed record TicketDetailDto(
    Guid Id, string Number, string EventTitle, DateTimeOffset StartsAt, string Venue, string City, string CategoryName,
    string HolderName, string Status, Guid OrderId, Guid PerformanceId, Guid UserId, decimal Price, string Currency, string Code,
    Seating.SeatRefDto? Seat = null);
