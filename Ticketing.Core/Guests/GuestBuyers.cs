using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Accounts;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Guests;

/// <summary>The buyer of guest orders, as the notifications take a buyer: the address and language given at checkout.</summary>
public static class GuestBuyers
{
    /// <summary>
    /// The buyers of the guest orders among <paramref name="orders"/> (one read, only when there is one), or null when
    /// none is a guest's.
    /// </summary>
    public static async Task<Dictionary<Guid, AppUser>?> ForAsync(TicketingDbContext db, IEnumerable<Order> orders)
    {
        var ids = orders.Where(o => GuestKey.Is(o.UserId)).Select(o => o.Id).ToList();
        if (ids.Count == 0) return null;
        var rows = await (from g in db.Set<GuestBuyer>().AsNoTracking()
                          where ids.Contains(g.OrderId)
                          join o in db.Orders on g.OrderId equals o.Id
                          select new { g.OrderId, g.Email, g.NormalizedEmail, g.Language, o.UserId, o.BuyerName }).ToListAsync();
        return rows.ToDictionary(r => r.OrderId, r => new AppUser
        {
            Id = r.UserId, Email = r.Email, NormalizedEmail = r.NormalizedEmail, DisplayName = r.BuyerName,
            PreferredLanguage = r.Language, NotificationChannel = NotificationChannel.Email,
        });
    }
}
