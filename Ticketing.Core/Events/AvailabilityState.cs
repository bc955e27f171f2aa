namespace Ticketing.Core.Events;

/// <summary>What a badge says about a date or a category.</summary>
public enum AvailabilityState
{
    Available,
    /// <summary>Few seats left (see <see cref="Availability.IsLastSeats"/>).</summary>
    LastSeats,
    /// <summary>Nothing free now, but seats are held by other fans: some may come back when their holds expire.</summary>
    AllHeld,
    SoldOut,
}
