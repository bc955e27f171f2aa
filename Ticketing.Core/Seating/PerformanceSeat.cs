namespace Ticketing.Core.Seating;

/// <summary>
/// One seat of one performance: a copy of the plan's seat (so the map and the tickets read one table) with its state.
/// <see cref="Status"/> and <see cref="OrderId"/> change only through <see cref="Inventory.SeatInventory"/>, by
/// conditional UPDATEs (<c>WHERE Status = 'Available'</c> to take, <c>WHERE OrderId = @o</c> to release or sell).
/// </summary>
public sealed class PerformanceSeat
{
    public Guid Id { get; set; }
    public Guid PerformanceId { get; set; }
    public Guid PlanSeatId { get; set; }
    /// <summary>The performance's category of this seat; null when the plan's category has no match (the seat is Blocked).</summary>
    public Guid? CategoryId { get; set; }
    public int Ordinal { get; set; }
    public string Section { get; set; } = "";
    public string Row { get; set; } = "";
    public string Label { get; set; } = "";
    public double X { get; set; }
    public double Y { get; set; }
    public bool Accessible { get; set; }
    public bool Companion { get; set; }
    public bool Restricted { get; set; }
    public SeatStatus Status { get; set; }
    /// <summary>The order holding or owning the seat (Held, Sold); null when Available or Blocked.</summary>
    public Guid? OrderId { get; set; }
}
