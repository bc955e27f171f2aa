namespace Ticketing.Core.Waitlist;

/// <summary>
/// A fan waiting for seats of a sold-out category: <c>Waiting</c> (in line, by <see cref="CreatedAt"/> then id) ->
/// <c>Offered</c> (seats held for them by <see cref="OfferOrderId"/> until <see cref="OfferExpiresAt"/>) -> <c>Fulfilled</c>
/// (paid) or <c>Expired</c> (not taken: the seats go to the next fan); or <c>Left</c>. One entry per account and category
/// (a unique index).
/// </summary>
public sealed class WaitlistEntry
{
    public Guid Id { get; set; }
    public Guid EventId { get; set; }
    public Guid PerformanceId { get; set; }
    public Guid CategoryId { get; set; }
    public Guid UserId { get; set; }
    public int Quantity { get; set; }
    public WaitlistStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid? OfferOrderId { get; set; }
    public DateTimeOffset? OfferedAt { get; set; }
    public DateTimeOffset? OfferExpiresAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
}

public enum WaitlistStatus { Waiting, Offered, Fulfilled, Expired, Left }
