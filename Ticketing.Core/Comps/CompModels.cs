namespace Ticketing.Core.Comps;

/// <summary><c>POST /api/events/{id}/comps</c>.</summary>
public sealed record IssueCompRequest(Guid PerformanceId, Guid CategoryId, int Quantity, CompGuest? Guest, string? Note = null, string? Language = null);

public sealed record CompGuest(string? DisplayName, string? Email);

/// <summary>Comps issued to one guest: the order holds the zero-price tickets. <c>Cancelled</c> once the organizer cancelled them
/// (<c>POST /api/events/{id}/comps/{compId}/cancel</c>) or the event was cancelled.</summary>
public sealed record CompDto(Guid Id, Guid PerformanceId, Guid CategoryId, string CategoryName, int Quantity, string GuestName, string GuestEmail,
    string? Note, Guid OrderId, DateTimeOffset IssuedAt, IReadOnlyList<string> TicketNumbers, bool Cancelled = false);

/// <summary><c>PUT /api/events/{id}/comp-quotas</c>.</summary>
public sealed record SetCompQuotaRequest(Guid PerformanceId, Guid CategoryId, int Quota);

/// <summary>The quota of one category of one performance, with what is issued and what is left.</summary>
public sealed record CompQuotaDto(Guid PerformanceId, DateTimeOffset StartsAt, Guid CategoryId, string CategoryName, int Quota, int Issued, int Remaining);

/// <summary>The sales report's comps line per category: complimentary tickets that still count (not voided).</summary>
public sealed record CompSales(Guid CategoryId, string CategoryName, int Tickets);
