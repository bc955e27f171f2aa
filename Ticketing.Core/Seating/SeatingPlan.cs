namespace Ticketing.Core.Seating;

/// <summary>
/// A venue's layout, owned by the organizer who drew it and reused across a tour's performances: numbered seats
/// (<see cref="SeatingPlanSeat"/>, in plan order: section, row, seat) and standing zones with a capacity.
/// Each performance that takes it gets its own seat inventory (<see cref="PerformanceSeat"/>).
/// </summary>
public sealed class SeatingPlan
{
    public Guid Id { get; set; }
    public Guid OwnerId { get; set; }
    public string Name { get; set; } = "";
    public int SeatCount { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<SeatingPlanSeat> Seats { get; set; } = [];
    public List<StandingZone> StandingZones { get; set; } = [];

    public const int MaxSeats = 100_000;
    public const int MaxStandingZones = 100;
}
