using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Messages;

/// <summary>
/// After a reschedule, the buyers of the performance who paid before it may ask a refund themselves until the notice's
/// <see cref="AttendeeMessage.RefundUntil"/>; after it, or for a purchase made after the change, only the organizer refunds.
/// </summary>
public static class RefundWindow
{
    /// <summary>Until when this order's buyer may ask a refund themselves; null: no open window.</summary>
    public static async Task<DateTimeOffset?> OpenUntilAsync(TicketingDbContext db, Order order, DateTimeOffset now, CancellationToken ct)
    {
        if (order.PaidAt is not { } paidAt || order.UserId == Guid.Empty) return null;
        return await db.AttendeeMessages.AsNoTracking()
            .Where(m => m.PerformanceId == order.PerformanceId && m.Kind == AttendeeMessageKind.Reschedule && m.Status == AttendeeMessageStatus.Sent
                        && m.CreatedAt > paidAt && m.RefundUntil > now)
            .MaxAsync(m => m.RefundUntil, ct);
    }

    /// <summary>Whether a reschedule after this order's payment ever offered its buyer a refund window (open or closed since).</summary>
    public static async Task<bool> WasOfferedAsync(TicketingDbContext db, Order order, CancellationToken ct)
    {
        if (order.PaidAt is not { } paidAt || order.UserId == Guid.Empty) return false;
        return await db.AttendeeMessages.AsNoTracking().AnyAsync(m => m.PerformanceId == order.PerformanceId && m.Kind == AttendeeMessageKind.Reschedule
            && m.Status == AttendeeMessageStatus.Sent && m.CreatedAt > paidAt && m.RefundUntil != null, ct);
    }

    /// <summary>The open windows of several orders (My orders): order id -> until when.</summary>
    public static async Task<IReadOnlyDictionary<Guid, DateTimeOffset>> OpenForAsync(TicketingDbContext db, IReadOnlyCollection<Order> orders, DateTimeOffset now,
        CancellationToken ct)
    {
        var performances = orders.Select(o => o.PerformanceId).Distinct().ToList();
        if (performances.Count == 0) return new Dictionary<Guid, DateTimeOffset>();
        var notices = await db.AttendeeMessages.AsNoTracking()
            .Where(m => performances.Contains(m.PerformanceId) && m.Kind == AttendeeMessageKind.Reschedule && m.Status == AttendeeMessageStatus.Sent
                        && m.RefundUntil > now)
            .Select(m => new { m.PerformanceId, m.CreatedAt, m.RefundUntil }).ToListAsync(ct);
        var result = new Dictionary<Guid, DateTimeOffset>();
        foreach (var o in orders.Where(o => o.PaidAt is not null && o.Status is OrderStatus.Paid or OrderStatus.PartiallyRefunded))
        {
            var until = notices.Where(n => n.PerformanceId == o.PerformanceId && n.CreatedAt > o.PaidAt).Max(n => n.RefundUntil);
            if (until is { } u) result[o.Id] = u;
        }
        return result;
    }
}
