using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Codes;

/// <summary>Why a code could not be used (nothing was counted).</summary>
public enum ClaimRefusal { None, Exhausted, AccountLimit }

/// <summary>
/// The one use counter of access and promo codes. A use is claimed by ONE transaction per order: for each code (in id
/// order, the lock order), a conditional UPDATE <c>SET Uses = Uses + 1 WHERE Uses &lt; MaxUses AND DisabledAt IS NULL</c>
/// (0 rows: exhausted), then, under that row lock, the account's uses of the code are counted against its per-account
/// limit (the count starts after the lock was granted, so it sees every use committed before), then the
/// <see cref="CodeUse"/> row (unique per code and order) is inserted. The database, not the code, keeps the counter
/// exact (and a CHECK constraint <c>Uses &lt;= MaxUses</c> backs it).
/// <para>
/// A use is given back exactly once, in the transaction that ends the hold (release, expiry, failed hold): the
/// <see cref="CodeUse"/> row is deleted, and only the statement that deleted it decrements the counter. A paid order
/// keeps its uses, also when refunded later.
/// </para>
/// </summary>
public static class CodeUses
{
    /// <summary>How long a use may wait for its order's row (written by the hold right after the claim) before the sweep gives it back.</summary>
    public static readonly TimeSpan OrphanGrace = TimeSpan.FromMinutes(10);

    /// <summary>Counts one use of every code for the order, all or nothing. Returns the refused code and why, else (null, None).</summary>
    public static async Task<(EventCode? Code, ClaimRefusal Refusal)> ClaimAsync(TicketingDbContext db, IReadOnlyList<EventCode> codes, Guid orderId,
        Guid userId, DateTimeOffset now, CancellationToken ct = default)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var code in codes.OrderBy(c => c.Id))
        {
            var counted = await db.EventCodes.Where(c => c.Id == code.Id && c.DisabledAt == null && c.Uses < c.MaxUses)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Uses, c => c.Uses + 1), ct);
            if (counted == 0)
            {
                await tx.RollbackAsync(ct);
                return (code, ClaimRefusal.Exhausted);
            }
            if (code.MaxUsesPerAccount is { } max
                && await db.CodeUses.CountAsync(u => u.CodeId == code.Id && u.UserId == userId, ct) >= max)
            {
                await tx.RollbackAsync(ct);
                return (code, ClaimRefusal.AccountLimit);
            }
            db.CodeUses.Add(new CodeUse { Id = Guid.CreateVersion7(), CodeId = code.Id, OrderId = orderId, UserId = userId, CreatedAt = now });
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return (null, ClaimRefusal.None);
    }

    /// <summary>
    /// Gives back the uses of <paramref name="orderId"/>, each exactly once (the delete that removed the row decrements).
    /// Call it inside the transaction that ends the hold, or alone for a hold that was never written.
    /// </summary>
    public static async Task<int> GiveBackAsync(TicketingDbContext db, Guid orderId, CancellationToken ct = default)
    {
        var uses = await db.CodeUses.AsNoTracking().Where(u => u.OrderId == orderId).Select(u => new { u.Id, u.CodeId }).ToListAsync(ct);
        var given = 0;
        foreach (var use in uses.OrderBy(u => u.CodeId))
        {
            if (await db.CodeUses.Where(u => u.Id == use.Id).ExecuteDeleteAsync(ct) != 1) continue;
            await db.EventCodes.Where(c => c.Id == use.CodeId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Uses, c => c.Uses - 1), ct);
            given++;
        }
        return given;
    }

    /// <summary>A claim whose hold was never written (the process stopped between the two): given back after <see cref="OrphanGrace"/>.</summary>
    public static async Task<int> GiveBackOrphansAsync(TicketingDbContext db, DateTimeOffset now, CancellationToken ct = default)
    {
        var cutoff = now - OrphanGrace;
        var orphans = await db.CodeUses.AsNoTracking().Where(u => u.CreatedAt < cutoff && !db.Orders.Any(o => o.Id == u.OrderId))
            .Select(u => u.OrderId).Distinct().Take(200).ToListAsync(ct);
        var given = 0;
        foreach (var orderId in orphans)
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            given += await GiveBackAsync(db, orderId, ct);
            await tx.CommitAsync(ct);
        }
        return given;
    }
}
