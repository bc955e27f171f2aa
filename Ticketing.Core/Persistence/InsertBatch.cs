using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Common;

namespace Ticketing.Core.Persistence;

/// <summary>Group-committed inserts: the rows handed in meanwhile are written by one SaveChanges (one commit).</summary>
public static class InsertBatch
{
    /// <summary>A unique violation fails the batch, which then runs row by row: only that row's caller gets the exception.</summary>
    public static GroupCommit<TEntity, bool> Create<TEntity>(IDbContextFactory<TicketingDbContext> dbFactory, int maxBatch, int lanes = 16)
        where TEntity : class =>
        new(async rows =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            db.Set<TEntity>().AddRange(rows);
            await db.SaveChangesAsync();
            return Enumerable.Repeat(true, rows.Count).ToList();
        }, maxBatch, lanes);
}
