using Ticketing.Core.Common;

namespace Ticketing.Core.Orders;

public enum OrderStatus { Reserved, Paid, Expired, Cancelled, PaymentFailed, Refunded, PartiallyRefunded }

public sealed class Order
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public Guid EventId { get; set; }
    public Guid PerformanceId { get; set; }
    public OrderStatus Status { get; set; }
    public long TotalMinor { get; set; }
    public string Currency { get; set; } = "EUR";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? PaidAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    /// <summary>Buyer's name at purchase time (printed on tickets; kept when the account is deleted).</summary>
    public string BuyerName { get; set; } = "";
    /// <summary>Optimistic concurrency token: status transitions are conditional on it.</summary>
    public int Version { get; set; }
    /// <summary>A resale purchase: the listing this order buys (its seat is already sold: the order moves no seat counter).</summary>
    public Guid? ResaleListingId { get; set; }
    /// <summary>The promo code applied (as the organizer wrote it), and what it took off the total, in minor units.</summary>
    public string? PromoCode { get; set; }
    public long DiscountMinor { get; set; }

    public List<OrderItem> Items { get; set; } = [];
    /// <summary>A guest order's buyer (email address, no account); null for an account's order. Inserted with the order.</summary>
    public Guests.GuestBuyer? Guest { get; set; }

    public bool IsHoldActive(DateTimeOffset now) => Status == OrderStatus.Reserved && ExpiresAt > now;

    /// <summary>
    /// The order paid (<see cref="OrderTransitions"/>: from Reserved, or from an ended hold whose seats are taken anew),
    /// through the change tracker: the write is guarded by <see cref="Version"/>, the concurrency token.
    /// </summary>
    public void MarkPaid(DateTimeOffset now, string holder)
    {
        if (!OrderTransitions.Allows(Status, OrderStatus.Paid))
            throw new InvalidOperationException($"Order {Id} cannot be paid from {Status}.");
        Status = OrderStatus.Paid;
        PaidAt = now;
        ClosedAt = null;
        BuyerName = holder;
        Version++;
    }
    public int TotalQuantity => Items.Sum(i => i.Quantity);
}

public sealed class OrderItem
{
    public Guid Id { get; set; }
    public Guid OrderId { get; set; }
    public Guid CategoryId { get; set; }
    public string CategoryName { get; set; } = "";
    public int Quantity { get; set; }
    public long UnitPriceMinor { get; set; }
    /// <summary>The event's booking fee per ticket when the order was placed (VAT included), in minor units.</summary>
    public long UnitFeeMinor { get; set; }
    /// <summary>The category's VAT rate when the order was placed, in basis points (prices include VAT).</summary>
    public int VatRateBasisPoints { get; set; } = Receipts.VatRates.DefaultBasisPoints;
    /// <summary>A promo code's discount on each ticket of the line (at most <see cref="UnitPriceMinor"/>), in minor units.</summary>
    public long UnitDiscountMinor { get; set; }
    /// <summary>What one ticket of the line costs after the discount (VAT included, booking fee excluded).</summary>
    public long UnitNetPriceMinor => UnitPriceMinor - UnitDiscountMinor;
    /// <summary>Reserved seating: the one seat this line holds (its quantity is 1); null for general admission.</summary>
    public Guid? SeatId { get; set; }
    public string? SeatSection { get; set; }
    public string? SeatRow { get; set; }
    public string? SeatLabel { get; set; }
}
