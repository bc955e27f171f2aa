using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;
using Ticketing.Core.Seating;

namespace Ticketing.Core.Inventory;

/// <summary>Seats of one price category to move (a quantity, always positive).</summary>
public readonly record struct SeatCount(Guid CategoryId, int Quantity);

/// <summary>Seats of one category sold: <see cref="Held"/> of them were held by the order, <see cref="Again"/> are taken anew (an ended hold, the box office).</summary>
public readonly record struct SeatSale(Guid CategoryId, int Held, int Again);

/// <summary>
/// The ONLY code that changes the seat counters (<c>Held</c>, <c>Sold</c>, <c>Capacity</c>) of a price category, each
/// change one conditional UPDATE inside the caller's transaction (the table's CHECK constraint
/// <c>Sold &gt;= 0 AND Held &gt;= 0 AND Sold + Held &lt;= Capacity</c> is the last line of defence):
/// <list type="bullet">
/// <item><b>take</b> (a public hold): <c>Held += n WHERE Sold + Held + WaitlistSeats + n &lt;= Capacity</c> (the public holds
/// only what is free beyond the seats the waiting line wants);</item>
/// <item><b>the line</b> (<c>WaitlistSeats</c>, the sum of the Waiting entries' quantities): join <c>+= n</c> while the
/// public could not hold n, leave or expiry <c>-= n</c>, an offer takes <c>Held += n, WaitlistSeats -= n</c> ignoring the
/// reservation (it is the line's), each in the transaction that moves the entry;</item>
/// <item><b>release</b> (a hold ends: expired, cancelled, event cancelled): <c>Held -= n</c>;</item>
/// <item><b>sell</b> (a payment): <c>Held -= held, Sold += held + again WHERE Held &gt;= held AND Sold + Held + again &lt;= Capacity</c>
/// (seats taken anew here, by a payment that outlived its hold, the box office or a comp, ignore the line's reservation:
/// a late payment was already charged, the desk and comps are the organizer's);</item>
/// <item><b>return</b> (a refund): <c>Sold -= n</c>;</item>
/// <item><b>resize</b> (the organizer): <c>Capacity = c WHERE Sold + Held &lt;= c</c>, and the removal of unsold categories.</item>
/// </list>
/// Every method that moves several categories does it in category id order: the lock order of every transaction that
/// moves seats (two transactions never wait for each other's rows in opposite orders, so they never deadlock).
/// Every release, return and resize tells the sold-out memory (<see cref="SoldOutCache"/>) to forget the category: the
/// seats are back, the next buyer goes to the database. It forgets right after its UPDATE, while the transaction holds
/// the row: a hold that starts after the forget waits for the row, so it sees the seats once they are committed.
/// Every release and return also rings <see cref="Waitlist.WaitlistNudge"/>: the waiting lists are offered the seats at once.
/// </summary>
public sealed class SeatInventory(SoldOutCache soldOut, Waitlist.WaitlistNudge waitlist)
{
    /// <summary>Per category, summed, in id order (the lock order); zero quantities dropped.</summary>
    public static List<SeatCount> InLockOrder(IEnumerable<SeatCount> seats) =>
        seats.GroupBy(s => s.CategoryId).OrderBy(g => g.Key)
            .Select(g => new SeatCount(g.Key, g.Sum(s => s.Quantity))).Where(s => s.Quantity != 0).ToList();

    /// <summary>The seats of an order's lines (any order: the methods sort them).</summary>
    public static IEnumerable<SeatCount> Of(IEnumerable<OrderItem> items) => items.Select(i => new SeatCount(i.CategoryId, i.Quantity));

    /// <summary>
    /// Take (a public hold): holds <paramref name="n"/> seats if they are there beyond the seats the waiting line wants
    /// (<c>Sold + Held + WaitlistSeats + n &lt;= Capacity</c>); answers what is left for the public, or null when they are not.
    /// </summary>
    public async Task<int?> TryTakeAsync(TicketingDbContext db, Guid categoryId, int n, CancellationToken ct = default)
    {
        var left = await db.Database.SqlQuery<int>(
                $"UPDATE \"PriceCategories\" SET \"Held\" = \"Held\" + {n} WHERE \"Id\" = {categoryId} AND \"Sold\" + \"Held\" + \"WaitlistSeats\" + {n} <= \"Capacity\" RETURNING \"Capacity\" - \"Sold\" - \"Held\" - \"WaitlistSeats\" AS \"Value\"")
            .ToListAsync(ct);
        return left.Count == 1 ? left[0] : null;
    }

    // ---- The waiting line's reservation (WaitlistSeats = the sum of the category's Waiting entries' quantities) ----

    /// <summary>
    /// Join the line: <c>WaitlistSeats += n WHERE Capacity - Sold - Held - WaitlistSeats &lt; n</c> (only while the public
    /// could not hold <paramref name="n"/> seats). False when the public can (the category is not sold out) or is gone.
    /// Call it in the transaction that writes the entry.
    /// </summary>
    public async Task<bool> TryJoinLineAsync(TicketingDbContext db, Guid categoryId, int n, CancellationToken ct = default) =>
        await db.PriceCategories.Where(c => c.Id == categoryId && c.Capacity - c.Sold - c.Held - c.WaitlistSeats < n)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.WaitlistSeats, c => c.WaitlistSeats + n), ct) == 1;

    /// <summary>
    /// An entry leaves the line without an offer (the fan left, the entry expired): <c>WaitlistSeats -= n</c>, its seats
    /// are the public's again (the sold-out memory forgets the category). Call it in the transaction that moves the entry.
    /// </summary>
    public async Task LeaveLineAsync(TicketingDbContext db, Guid categoryId, int n, CancellationToken ct = default)
    {
        await db.PriceCategories.Where(c => c.Id == categoryId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.WaitlistSeats, c => c.WaitlistSeats - n), ct);
        soldOut.Forget(categoryId);
    }

    /// <summary>
    /// Take for the line (a waiting-list offer): holds <paramref name="n"/> seats out of the line's reservation,
    /// <c>Held += n, WaitlistSeats -= n WHERE Sold + Held + n &lt;= Capacity AND WaitlistSeats &gt;= n</c> (the public's
    /// share is not needed: these seats were kept for the line). Answers what is left for the public, or null.
    /// </summary>
    public async Task<int?> TryTakeForLineAsync(TicketingDbContext db, Guid categoryId, int n, CancellationToken ct = default)
    {
        var left = await db.Database.SqlQuery<int>(
                $"UPDATE \"PriceCategories\" SET \"Held\" = \"Held\" + {n}, \"WaitlistSeats\" = \"WaitlistSeats\" - {n} WHERE \"Id\" = {categoryId} AND \"Sold\" + \"Held\" + {n} <= \"Capacity\" AND \"WaitlistSeats\" >= {n} RETURNING \"Capacity\" - \"Sold\" - \"Held\" - \"WaitlistSeats\" AS \"Value\"")
            .ToListAsync(ct);
        return left.Count == 1 ? left[0] : null;
    }

    /// <summary>
    /// Locks the category row until the commit (a no-op UPDATE) and answers the seats left for the public (beyond the
    /// waiting line's): none for a category that no longer exists (its organizer removed it, unsold, while a hold was on its way).
    /// </summary>
    public async Task<int> LockAsync(TicketingDbContext db, Guid categoryId, CancellationToken ct = default) =>
        (await db.Database.SqlQuery<int>(
                $"UPDATE \"PriceCategories\" SET \"Held\" = \"Held\" WHERE \"Id\" = {categoryId} RETURNING \"Capacity\" - \"Sold\" - \"Held\" - \"WaitlistSeats\" AS \"Value\"")
            .ToListAsync(ct)).SingleOrDefault();

    /// <summary>What the sold-out memory should know after a take has committed: none left, or some.</summary>
    public void Remember(Guid categoryId, int remaining)
    {
        if (remaining <= 0) soldOut.MarkSoldOut(categoryId);
        else soldOut.Forget(categoryId);
    }

    /// <summary>Release: held seats go back on sale (id order), and the sold-out memory forgets their categories.</summary>
    public async Task ReleaseAsync(TicketingDbContext db, IEnumerable<SeatCount> seats, CancellationToken ct = default)
    {
        foreach (var (id, n) in InLockOrder(seats))
        {
            await db.PriceCategories.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Held, c => c.Held - n), ct);
            soldOut.Forget(id);
        }
        waitlist.SeatsCameBack();
    }

    /// <summary>
    /// Sell: held -> sold (and seats taken anew), one conditional UPDATE per category in id order. Answers the first
    /// category that could not (nothing more is moved then: the caller rolls back), or null when every one did.
    /// </summary>
    public async Task<Guid?> TrySellAsync(TicketingDbContext db, IEnumerable<SeatSale> sales, CancellationToken ct = default)
    {
        foreach (var sale in sales.GroupBy(s => s.CategoryId).OrderBy(g => g.Key))
        {
            var (id, held, again) = (sale.Key, sale.Sum(m => m.Held), sale.Sum(m => m.Again));
            var moved = await db.PriceCategories.Where(c => c.Id == id && c.Held >= held && c.Sold + c.Held + again <= c.Capacity)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Held, c => c.Held - held).SetProperty(c => c.Sold, c => c.Sold + held + again), ct);
            if (moved == 0) return id;
        }
        return null;
    }

    /// <summary>Return: sold seats go back on sale (a refund; id order), and the sold-out memory forgets their categories.</summary>
    public async Task ReturnAsync(TicketingDbContext db, IEnumerable<SeatCount> seats, CancellationToken ct = default)
    {
        foreach (var (id, n) in InLockOrder(seats))
        {
            await db.PriceCategories.Where(c => c.Id == id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Sold, c => c.Sold - n), ct);
            soldOut.Forget(id);
        }
        waitlist.SeatsCameBack();
    }

    /// <summary>
    /// Resize: the category's capacity becomes <paramref name="capacity"/> if its sold and held seats fit (the row stays
    /// locked until the commit). Null when done; otherwise the seats sold and held, the floor the capacity cannot go under.
    /// </summary>
    public async Task<int?> TryResizeAsync(TicketingDbContext db, Guid categoryId, int capacity, CancellationToken ct = default)
    {
        var rows = await db.PriceCategories.Where(x => x.Id == categoryId && x.Sold + x.Held <= capacity)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Capacity, capacity), ct);
        soldOut.Forget(categoryId);
        if (rows == 1) return null;
        return await db.PriceCategories.Where(x => x.Id == categoryId).Select(x => x.Sold + x.Held).SingleAsync(ct);
    }

    /// <summary>Removes the categories if none has a seat sold or held; answers how many went (all of them, or fewer: refuse).</summary>
    public async Task<int> RemoveUnsoldAsync(TicketingDbContext db, IReadOnlyCollection<Guid> categoryIds, CancellationToken ct = default)
    {
        var ids = categoryIds.Order().ToList();
        var deleted = await db.PriceCategories.Where(c => ids.Contains(c.Id) && c.Sold == 0 && c.Held == 0).ExecuteDeleteAsync(ct);
        foreach (var id in ids) soldOut.Forget(id);
        return deleted;
    }

    // ---- Reserved seating: the seats of a performance (PerformanceSeats rows), moved with the counters above ----

    /// <summary>
    /// Take seats for an order: ONE conditional UPDATE, <c>Status = Held, OrderId = @o WHERE Id IN (...) AND Status =
    /// 'Available'</c>. Answers how many it took: fewer than asked means some were not there (the caller rolls back).
    /// </summary>
    public Task<int> TakeSeatsAsync(TicketingDbContext db, Guid performanceId, Guid orderId, IReadOnlyCollection<Guid> seatIds,
        CancellationToken ct = default)
    {
        var ids = seatIds.Order().ToList();
        return db.PerformanceSeats.Where(s => s.PerformanceId == performanceId && ids.Contains(s.Id) && s.Status == SeatStatus.Available)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SeatStatus.Held).SetProperty(x => x.OrderId, orderId), ct);
    }

    /// <summary>Release an order's hold: its held seats Available again, then its categories' <c>Held</c> (see <see cref="ReleaseAsync(TicketingDbContext, IEnumerable{SeatCount}, CancellationToken)"/>).</summary>
    public async Task ReleaseAsync(TicketingDbContext db, Order order, CancellationToken ct = default)
    {
        // By order id (indexed), whether or not the caller loaded the order's lines.
        await db.PerformanceSeats.Where(s => s.OrderId == order.Id && s.Status == SeatStatus.Held)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SeatStatus.Available).SetProperty(x => x.OrderId, (Guid?)null), ct);
        await ReleaseAsync(db, Of(order.Items), ct);
    }

    /// <summary>
    /// Sell the seats of paid orders: those still held by their order become Sold (<c>WHERE OrderId = @o AND Status =
    /// 'Held'</c>); an order whose hold had ended takes its seats anew (<c>WHERE Id IN (...) AND Status = 'Available'</c>).
    /// False when a seat could not be had (nothing is undone here: the caller rolls back).
    /// </summary>
    public async Task<bool> TrySellSeatsAsync(TicketingDbContext db, IEnumerable<(Order Order, bool Held)> sales, CancellationToken ct = default)
    {
        foreach (var (order, held) in sales)
        {
            var seatIds = order.Items.Where(i => i.SeatId is not null).Select(i => i.SeatId!.Value).Order().ToList();
            if (seatIds.Count == 0) continue;
            var orderId = order.Id;
            var moved = held
                ? await db.PerformanceSeats.Where(s => s.OrderId == orderId && s.Status == SeatStatus.Held && seatIds.Contains(s.Id))
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SeatStatus.Sold), ct)
                : await db.PerformanceSeats.Where(s => seatIds.Contains(s.Id) && s.Status == SeatStatus.Available)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SeatStatus.Sold).SetProperty(x => x.OrderId, orderId), ct);
            if (moved != seatIds.Count) return false;
        }
        return true;
    }

    /// <summary>A sold seat passes to another order (a resale): it stays Sold, no counter moves.</summary>
    public static Task<int> HandOverSeatAsync(TicketingDbContext db, Guid seatId, Guid orderId, CancellationToken ct = default) =>
        db.PerformanceSeats.Where(s => s.Id == seatId && s.Status == SeatStatus.Sold)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.OrderId, orderId), ct);

    /// <summary>Return sold seats (a refund, a cancellation): Available again, with no order.</summary>
    public async Task ReturnSeatsAsync(TicketingDbContext db, IEnumerable<Guid?> seatIds, CancellationToken ct = default)
    {
        var ids = seatIds.Where(id => id is not null).Select(id => id!.Value).Order().ToList();
        if (ids.Count == 0) return;
        await db.PerformanceSeats.Where(s => ids.Contains(s.Id) && s.Status == SeatStatus.Sold)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Status, SeatStatus.Available).SetProperty(x => x.OrderId, (Guid?)null), ct);
    }
}
