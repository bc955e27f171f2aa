namespace Ticketing.Core.Payments;

/// <summary>
/// The simulated acquirer's own ledger (what a real gateway would remember): one row per attempt key; at most one
/// approved, unrefunded charge per order (unique filtered index), so an order is never charged twice.
/// </summary>
public sealed class SimulatedCharge
{
    /// <summary>The idempotency key of the attempt (the gateway replays the answer of a known key).</summary>
    public string AttemptKey { get; set; } = "";
    public Guid OrderId { get; set; }
    public string Reference { get; set; } = "";
    public bool Approved { get; set; }
    public string? DeclineCode { get; set; }
    public string? Brand { get; set; }
    public string? Last4 { get; set; }
    public long AmountMinor { get; set; }
    public string Currency { get; set; } = "EUR";
    public bool Refunded { get; set; }
    /// <summary>What partial refunds gave back so far (never more than <see cref="AmountMinor"/>).</summary>
    public long RefundedMinor { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
