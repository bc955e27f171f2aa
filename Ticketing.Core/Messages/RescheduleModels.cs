namespace Ticketing.Core.Messages;

public sealed record RescheduleVenue(string? Name, string? City, string? Address);

/// <summary>A performance's new date (and venue, optional), with the buyers' refund window (default: 14 days, never past the new date).</summary>
public sealed record RescheduleRequest(DateTimeOffset? StartsAt, RescheduleVenue? Venue, DateTimeOffset? RefundUntil);

public sealed record RescheduleResult(Guid PerformanceId, DateTimeOffset StartsAt, string VenueName, string City, string Address,
    DateTimeOffset? PreviousStartsAt, DateTimeOffset RefundUntil, Guid NoticeId, int Notified);
