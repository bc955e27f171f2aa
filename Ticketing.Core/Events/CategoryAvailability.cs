namespace Ticketing.Core.Events;

/// <summary>One price category's live badge in <see cref="PerformanceAvailability"/>.</summary>
public sealed record CategoryAvailability(Guid Id, AvailabilityState State, int Capacity, int Available, int Held);
