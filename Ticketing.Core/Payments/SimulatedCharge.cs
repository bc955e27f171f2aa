namespace Ticketing.Core.Payments;

/// <summary>The simulated acquirer's own ledger (what a real gateway would remember): one charge per order.</summary>
public sealed class SimulatedCharge
{
    public Guid OrderId { get; set; }
    public string Reference { get; set; } = "";
    public bool Approved { get; set; }
    public string? DeclineCode { get; set; }
    public string? Brand { get; set; }
    public string? Last4 { get; set; }
    public long AmountMinor { get; set; }
    public string Currency { get; set; } = "EUR";
    public bool Refunded { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
