using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Orders;

/// <summary>
/// The order's lifecycle, in one place: which status may become which (<see cref="Allows"/>), and the conditional
/// UPDATEs that move an order in the database — each one conditional on the statuses the move may leave from (and,
/// for a payment, on the version read before the charge), each bumping <see cref="Order.Version"/>. The services call
/// these (or <see cref="Order.MarkPaid"/> for a batch written through the change tracker); none writes an order's
/// status itself.
/// <code>
/// Reserved ──pay──► Paid ──refund──► PartiallyRefunded ──refund──► Refunded
///    │                 └──────────────refund──────────────────────────┘
///    └─close─► Expired | Cancelled | PaymentFailed ──pay (seats taken anew)──► Paid
/// </code>
/// </summary>
public static class OrderTransitions
{
    /// <summary>The statuses a hold ends in.</summary>
    public static bool IsClosedHold(OrderStatus status) => status is OrderStatus.Expired or OrderStatus.Cancelled or OrderStatus.PaymentFailed;

    /// <summary>The statuses a refund may start from.</summary>
    public static bool IsRefundable(OrderStatus status) => status is OrderStatus.Paid or OrderStatus.PartiallyRefunded;

    public static bool Allows(OrderStatus from, OrderStatus to) => to switch
    {
        OrderStatus.Paid => from == OrderStatus.Reserved || IsClosedHold(from),
        OrderStatus.Expired or OrderStatus.Cancelled or OrderStatus.PaymentFailed => from == OrderStatus.Reserved,
        OrderStatus.PartiallyRefunded or OrderStatus.Refunded => IsRefundable(from),
        _ => false,
    };

    /// <summary>Reserved -> <paramref name="to"/> (a hold ends), only if still Reserved. True when it moved.</summary>
    public static async Task<bool> CloseHoldAsync(TicketingDbContext db, Guid orderId, OrderStatus to, DateTimeOffset now, CancellationToken ct = default)
    {
        if (!Allows(OrderStatus.Reserved, to)) throw new ArgumentOutOfRangeException(nameof(to), to, "Not a status a hold ends in.");
        return await db.Orders.Where(o => o.Id == orderId && o.Status == OrderStatus.Reserved)
            .ExecuteUpdateAsync(s => s
                .SetProperty(o => o.Status, to)
                .SetProperty(o => o.ClosedAt, now)
                .SetProperty(o => o.Version, o => o.Version + 1), ct) == 1;
    }

    /// <summary>
    /// <paramref name="from"/> -> Paid, only if the order is still in <paramref name="from"/> at <paramref name="version"/>
    /// (the state read before the charge). True when it moved.
    /// </summary>
    public static async Task<bool> PayAsync(TicketingDbContext db, Guid orderId, OrderStatus from, int version, string holder, DateTimeOffset now,
        CancellationToken ct = default)
    {
        if (!Allows(from, OrderStatus.Paid)) return false;
        return await db.Orders.Where(o => o.Id == orderId && o.Status == from && o.Version == version).ExecuteUpdateAsync(s => s
            .SetProperty(o => o.Status, OrderStatus.Paid)
            .SetProperty(o => o.PaidAt, now)
            .SetProperty(o => o.ClosedAt, (DateTimeOffset?)null)
            .SetProperty(o => o.BuyerName, holder)
            .SetProperty(o => o.Version, o => o.Version + 1), ct) == 1;
    }

    /// <summary>A refund claims the order (its version bumped) while it is Paid or PartiallyRefunded. True when claimed.</summary>
    public static async Task<bool> ClaimForRefundAsync(TicketingDbContext db, Guid orderId, CancellationToken ct = default) =>
        await db.Orders.Where(o => o.Id == orderId && (o.Status == OrderStatus.Paid || o.Status == OrderStatus.PartiallyRefunded))
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Version, o => o.Version + 1), ct) == 1;

    /// <summary>A claimed refund settles: the order Refunded (closed now) or PartiallyRefunded.</summary>
    public static async Task SettleRefundAsync(TicketingDbContext db, Guid orderId, OrderStatus to, DateTimeOffset now, CancellationToken ct = default)
    {
        if (to is not (OrderStatus.Refunded or OrderStatus.PartiallyRefunded))
            throw new ArgumentOutOfRangeException(nameof(to), to, "Not a status a refund ends in.");
        if (to == OrderStatus.Refunded)
            await db.Orders.Where(o => o.Id == orderId).ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, to)
                .SetProperty(o => o.ClosedAt, now).SetProperty(o => o.Version, o => o.Version + 1), ct);
        else
            await db.Orders.Where(o => o.Id == orderId).ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, to)
                .SetProperty(o => o.Version, o => o.Version + 1), ct);
    }

    /// <summary>A box-office sale that could not be completed (written Expired, never paid): Cancelled.</summary>
    public static async Task AbandonDeskSaleAsync(TicketingDbContext db, Guid orderId, CancellationToken ct = default) =>
        await db.Orders.Where(o => o.Id == orderId && o.Status != OrderStatus.Paid)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, OrderStatus.Cancelled), ct);
}
