using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Messages;

/// <summary>For My orders: which of a buyer's own orders may still be refunded by the buyer after a reschedule (see <see cref="RefundWindow"/>).
/// Only the buyer's own orders are looked at; the refund itself goes through RefundService, which checks the window again.</summary>
public sealed class BuyerRefundWindows(IDbContextFactory<TicketingDbContext> dbFactory, TimeProvider clock)
{
    public async Task<IReadOnlyDictionary<Guid, DateTimeOffset>> OpenAsync(Guid userId, IReadOnlyCollection<Guid> orderIds, CancellationToken ct = default)
    {
        if (userId == Guid.Empty || orderIds.Count == 0) return new Dictionary<Guid, DateTimeOffset>();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ids = orderIds.ToList();
        var orders = await db.Orders.AsNoTracking().Where(o => ids.Contains(o.Id) && o.UserId == userId).ToListAsync(ct);
        return await RefundWindow.OpenForAsync(db, orders, clock.GetUtcNow(), ct);
    }
}
