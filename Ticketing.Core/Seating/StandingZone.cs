namespace Ticketing.Core.Seating;

/// <summary>A standing area of a plan (a pit, a lawn): general admission, only a capacity, sold through its category's counters.</summary>
public sealed class StandingZone
{
    public Guid Id { get; set; }
    public Guid PlanId { get; set; }
    public int Ordinal { get; set; }
    public string Name { get; set; } = "";
    public int Capacity { get; set; }
    public string? Category { get; set; }
}
