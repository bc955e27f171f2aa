namespace Ticketing.Core.Comps;

/// <summary>Complimentary tickets issued to a named guest (press, staff, artists): a zero-price Paid order with its tickets.</summary>
public sealed class Comp
{
    public Guid Id { get; set; }
    public Guid EventId { get; set; }
    public Guid PerformanceId { get; set; }
    public Guid CategoryId { get; set; }
    public Guid OrderId { get; set; }
    public int Quantity { get; set; }
    public string GuestName { get; set; } = "";
    public string GuestEmail { get; set; } = "";
    public string? Note { get; set; }
    public Guid IssuedBy { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
}
