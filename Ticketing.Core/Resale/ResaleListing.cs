namespace Ticketing.Core.Resale;

/// <summary>
/// A holder's ticket offered to other fans at face value at most. <c>Active</c> (on sale) -> <c>Held</c> (a buyer's
/// unpaid order; back to Active when it ends unpaid) -> <c>Sold</c> (the buyer paid: the old ticket voided, a new one
/// issued, the seller refunded the listed price once: <see cref="SellerRefundedAt"/>); or <c>Withdrawn</c> by the seller.
/// Every move is one conditional UPDATE on the status; a unique filtered index keeps one open listing per ticket.
/// </summary>
public sealed class ResaleListing
{
    public Guid Id { get; set; }
    public Guid TicketId { get; set; }
    public Guid SellerId { get; set; }
    /// <summary>The seller's order (the one that paid for the ticket): the refund goes back through its payment.</summary>
    public Guid SellerOrderId { get; set; }
    public Guid EventId { get; set; }
    public Guid PerformanceId { get; set; }
    public Guid CategoryId { get; set; }
    public string CategoryName { get; set; } = "";
    public long PriceMinor { get; set; }
    public string Currency { get; set; } = "EUR";
    public ResaleListingStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The buyer's order holding (then having bought) the listing.</summary>
    public Guid? BuyerOrderId { get; set; }
    public DateTimeOffset? SoldAt { get; set; }
    /// <summary>The ticket issued to the buyer.</summary>
    public Guid? NewTicketId { get; set; }
    /// <summary>When the seller's refund was claimed (a crash after it is settled by the repair).</summary>
    public DateTimeOffset? SellerRefundClaimedAt { get; set; }
    public DateTimeOffset? SellerRefundedAt { get; set; }
    public DateTimeOffset? WithdrawnAt { get; set; }
}

public enum ResaleListingStatus { Active, Held, Sold, Withdrawn }
