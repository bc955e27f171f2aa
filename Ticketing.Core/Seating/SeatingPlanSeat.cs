namespace Ticketing.Core.Seating;

/// <summary>One numbered seat of a plan; <see cref="Ordinal"/> keeps the plan's order (sections, rows, seats left to right as drawn).</summary>
public sealed class SeatingPlanSeat
{
    public Guid Id { get; set; }
    public Guid PlanId { get; set; }
    public int Ordinal { get; set; }
    public string Section { get; set; } = "";
    public string Row { get; set; } = "";
    public string Label { get; set; } = "";
    public double X { get; set; }
    public double Y { get; set; }
    /// <summary>The price category's name this seat sells in; matched by name to a performance's categories.</summary>
    public string? Category { get; set; }
    public bool Accessible { get; set; }
    public bool Companion { get; set; }
    public bool Restricted { get; set; }
    public bool Blocked { get; set; }
}
