namespace Ticketing.Core.Events;

/// <summary>GET /api/performances/{id}/availability: the live badge of a date and of each of its categories.</summary>
public sealed record PerformanceAvailability(Guid PerformanceId, AvailabilityState State, int Capacity, int Available, int Held,
    IReadOnlyList<CategoryAvailability> Categories);
