using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Guests;

/// <summary>
/// The erase of an account (<see cref="Accounts.UserAdminService.EraseAsync"/>) reaches the guest orders of its confirmed
/// address, which it had claimed: buyer and holder names become "—", the address is removed from <see cref="GuestBuyer"/>
/// (so the orders' signed links stop working); orders, payments and tickets stay as legal records.
/// </summary>
public static class GuestErase
{
    public static async Task EraseAsync(TicketingDbContext db, string normalizedEmail)
    {
        var guest = GuestKey.For(normalizedEmail);
        await db.Orders.Where(o => o.UserId == guest).ExecuteUpdateAsync(s => s.SetProperty(o => o.BuyerName, "—"));
        await db.Tickets.Where(t => t.UserId == guest).ExecuteUpdateAsync(s => s.SetProperty(t => t.HolderName, "—"));
        await db.Set<GuestBuyer>().Where(g => g.NormalizedEmail == normalizedEmail)
            .ExecuteUpdateAsync(s => s.SetProperty(g => g.Email, "").SetProperty(g => g.NormalizedEmail, ""));
    }
}
