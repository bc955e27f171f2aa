using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ticketing.Core.Common;
using Ticketing.Core.Inventory;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Orders;

/// <summary>The answer to one hold: taken, or refused with the first category short of seats and what it had left.</summary>
public readonly record struct HoldOutcome(bool Held, Guid CategoryId, int Available, bool AccountLimit = false, Guid? RunningOrderId = null)
{
    /// <summary>Refused: the account already has a running hold of this performance (one per performance).</summary>
    public static HoldOutcome AlreadyHolding(Guid orderId) => new(false, Guid.Empty, 0, RunningOrderId: orderId);

    public static readonly HoldOutcome Taken = new(true, Guid.Empty, 0);
    /// <summary>Refused: the buyer's account would go above one of its caps (seats were not the reason).</summary>
    public static readonly HoldOutcome OverAccountLimit = new(false, Guid.Empty, 0, true);
}

/// <summary>
/// Writes holds, many per transaction (<see cref="GroupCommit{TItem,TResult}"/>, one lane per performance): the orders
/// are inserted, then each category of the batch takes the batch's seats with ONE conditional UPDATE
/// (<c>WHERE Sold + Held + n &lt;= Capacity</c>) and the transaction commits — one hot-row update and one commit for
/// the whole batch, however many buyers are in it.
/// <para>
/// When a category cannot give the whole batch its seats (the end of a sale), the batch is decided exactly: the
/// categories are locked in id order (a no-op UPDATE that answers what is left), the orders are served first come,
/// first served with what is left, only the served orders are inserted, and the counters move by what was served,
/// still through the same conditional UPDATE (and the table's CHECK constraint) as the last line of defence.
/// </para>
/// <para>
/// Per-account caps (<see cref="AccountCaps"/>) are decided in the same transaction: each account of the batch has its
/// <see cref="AccountHoldGuard"/> row bumped by ONE multi-row upsert (accounts in id order, before the categories: the
/// lock order is accounts, then categories), which serializes an account's holds on both databases; then ONE indexed
/// read of those accounts' open holds and paid tickets (it sees every hold committed before the guard was granted)
/// tells whether each account stays within its caps. An account over a cap (or holding this performance already, when
/// <c>Orders:OneHoldPerPerformance</c> is on) sends the batch to the exact path, where its order is refused alone.
/// </para>
/// </summary>
public sealed class HoldCommitter
{
    private readonly IDbContextFactory<TicketingDbContext> _dbFactory;
    private readonly SeatInventory _seats;
    private readonly TimeProvider _clock;
    private readonly GroupCommit<HoldRequest, HoldOutcome> _commit;

    public HoldCommitter(IDbContextFactory<TicketingDbContext> dbFactory, SeatInventory seats, IOptions<OrderOptions> options, TimeProvider clock)
    {
        _clock = clock;
        _dbFactory = dbFactory;
        _seats = seats;
        _commit = new GroupCommit<HoldRequest, HoldOutcome>(RunBatchAsync, options.Value.GroupCommitMaxBatch);
    }

    /// <summary>
    /// Inserts the order (Reserved, with its items) and takes its seats, or answers why not (nothing written): seats
    /// missing, or its account above one of <paramref name="caps"/>.
    /// </summary>
    /// <param name="subject">Whose allowance the order spends when not its own <c>UserId</c> (<see cref="HoldRequest.Subject"/>).</param>
    /// <param name="keyed">The request's key and its answer, recorded in the hold's transaction when it is served.</param>
    public Task<HoldOutcome> HoldAsync(Order order, AccountCaps caps, Guid? subject = null, (KeyedWrite Write, object Answer)? keyed = null) =>
        _commit.RunAsync(order.PerformanceId, new HoldRequest(order, caps, subject) { Keyed = keyed?.Write, Answer = keyed?.Answer });

    internal async Task<IReadOnlyList<HoldOutcome>> RunBatchAsync(IReadOnlyList<HoldRequest> holds)
    {
        var orders = holds.Select(h => h.Order).ToList();
        var wanted = SeatInventory.InLockOrder(orders.SelectMany(o => SeatInventory.Of(o.Items)));
        await using var db = await _dbFactory.CreateDbContextAsync();

        // The common case: every order of the batch fits. Inserts first, then the accounts' guards and their one read,
        // the hot rows last (locked only until the commit).
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            db.Orders.AddRange(orders);
            await db.SaveChangesAsync();
            // The keys' records with their orders: one commit for both.
            var records = await KeyedWrite.AddAsync(db, HoldRequest.RecordsOf(holds, _clock.GetUtcNow()));
            var usage = await GuardAccountsAsync(db, holds);
            var left = new Dictionary<Guid, int>();
            var fits = usage.WithinCaps(holds);
            foreach (var (id, n) in fits ? wanted : [])
            {
                if (await _seats.TryTakeAsync(db, id, n) is not { } remaining) break;
                left[id] = remaining;
            }
            if (fits && left.Count == wanted.Count)
            {
                await tx.CommitAsync();
                KeyedWrite.Committed(records);
                foreach (var (id, remaining) in left) _seats.Remember(id, remaining);
                return Enumerable.Repeat(HoldOutcome.Taken, orders.Count).ToList();
            }
            await tx.RollbackAsync();
        }
        db.ChangeTracker.Clear();

        // Not enough for everyone: lock the accounts, then the categories (id order), serve first come first served,
        // insert the served.
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            var usage = await GuardAccountsAsync(db, holds);
            var available = new Dictionary<Guid, int>();
            foreach (var (id, _) in wanted) available[id] = await _seats.LockAsync(db, id);

            var outcomes = new HoldOutcome[orders.Count];
            var served = new List<Order>(orders.Count);
            var servedHolds = new List<HoldRequest>(orders.Count);
            for (var i = 0; i < orders.Count; i++)
            {
                if (usage.RunningHold(holds[i]) is { } running)
                {
                    outcomes[i] = HoldOutcome.AlreadyHolding(running);
                    continue;
                }
                if (!usage.Allows(holds[i]))
                {
                    outcomes[i] = HoldOutcome.OverAccountLimit;
                    continue;
                }
                var lines = orders[i].Items;
                var shortLine = lines.FirstOrDefault(l => available[l.CategoryId] < l.Quantity);
                if (shortLine is not null)
                {
                    outcomes[i] = new HoldOutcome(false, shortLine.CategoryId, Math.Max(0, available[shortLine.CategoryId]));
                    continue;
                }
                foreach (var line in lines) available[line.CategoryId] -= line.Quantity;
                outcomes[i] = HoldOutcome.Taken;
                usage.Record(holds[i]);
                served.Add(orders[i]);
                servedHolds.Add(holds[i]);
            }

            IReadOnlyList<(KeyedWrite, IdempotencyRecord)> records = [];
            if (served.Count > 0)
            {
                db.Orders.AddRange(served);
                await db.SaveChangesAsync();
                records = await KeyedWrite.AddAsync(db, HoldRequest.RecordsOf(servedHolds, _clock.GetUtcNow()));
                foreach (var (id, n) in SeatInventory.InLockOrder(served.SelectMany(o => SeatInventory.Of(o.Items))))
                {
                    if (await _seats.TryTakeAsync(db, id, n) is null)
                        throw new InvalidOperationException($"Category {id} could not take {n} seat(s) it had under lock.");
                }
            }
            await tx.CommitAsync();
            KeyedWrite.Committed(records);
            foreach (var (id, remaining) in available) _seats.Remember(id, remaining);
            return outcomes;
        }
    }

    /// <summary>
    /// Bumps the guard row of every account of the batch (one upsert, accounts in id order: an account's holds queue
    /// here, on every database and instance) and then reads what those accounts hold and bought — a read that starts
    /// after the guards were granted, so it sees every hold of these accounts committed before. A guest order guards
    /// both its address's row and, when the address has an account, the account's row (its <see cref="HoldRequest.Subject"/>),
    /// so an account and the guest orders of its address queue on the same row; an account's usage includes the guest
    /// orders of its address.
    /// </summary>
    internal static async Task<AccountUsage> GuardAccountsAsync(TicketingDbContext db, IReadOnlyList<HoldRequest> holds)
    {
        var users = holds.Select(h => h.Order.UserId).Concat(holds.Select(h => h.Account)).Distinct().Order().ToList();
        var values = string.Join(", ", users.Select((_, i) => $"({{{i}}}, 1)"));
        // Only placeholders are concatenated: every value is a parameter.
        await db.Database.ExecuteSqlAsync(FormattableStringFactory.Create(
            $"INSERT INTO \"AccountHoldGuards\" (\"UserId\", \"Holds\") VALUES {values} " +
            "ON CONFLICT (\"UserId\") DO UPDATE SET \"Holds\" = \"AccountHoldGuards\".\"Holds\" + 1",
            users.Cast<object>().ToArray()));

        var events = holds.Select(h => h.Order.EventId).Distinct().ToList();
        var own =
            from o in db.Orders
            where users.Contains(o.UserId)
                  && (o.Status == OrderStatus.Reserved || (o.Status == OrderStatus.Paid && events.Contains(o.EventId)))
            join i in db.OrderItems on o.Id equals i.OrderId
            select new { Account = o.UserId, o.EventId, o.PerformanceId, o.Id, o.Status, o.ExpiresAt, i.CategoryId, i.Quantity };
        // The guest orders of an account's address count for the account (guest checkout).
        var asGuest =
            from u in db.Users
            where users.Contains(u.Id)
            join g in db.Set<Guests.GuestBuyer>() on u.NormalizedEmail equals g.NormalizedEmail
            join o in db.Orders on g.OrderId equals o.Id
            where o.Status == OrderStatus.Reserved || (o.Status == OrderStatus.Paid && events.Contains(o.EventId))
            join i in db.OrderItems on o.Id equals i.OrderId
            select new { Account = u.Id, o.EventId, o.PerformanceId, o.Id, o.Status, o.ExpiresAt, i.CategoryId, i.Quantity };
        var rows = await own.Concat(asGuest).AsNoTracking().ToListAsync();
        return new AccountUsage(rows.Select(r => new AccountUsageRow(r.Account, r.EventId, r.PerformanceId, r.Id, r.Status, r.ExpiresAt, r.CategoryId, r.Quantity)));
    }
}
