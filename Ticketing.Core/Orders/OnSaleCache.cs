using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Ticketing.Core.Events;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Orders;

/// <summary>
/// What a hold reads about its performance (the event's status and purchase limit, the sales window, the categories'
/// names and prices: not the seat counters), remembered for <see cref="OrderOptions.OnSaleCacheMilliseconds"/>, so that
/// the thousands of holds of an on-sale do not read the same row thousands of times a second. One read serves every
/// hold that misses at the same moment.
/// <para>
/// Never decides a seat: the conditional UPDATE of the category does, on its current row. Any event change made by this
/// process (edit, publish, cancel, delete) forgets everything at once; another instance's change is seen here within
/// the lifetime at most, which is what a hold read a moment earlier would have seen anyway. A payment re-reads the
/// event's status, so a hold taken in that moment on an event just cancelled cannot be paid.
/// </para>
/// </summary>
public sealed class OnSaleCache(IDbContextFactory<TicketingDbContext> dbFactory, IOptions<OrderOptions> options)
{
    /// <summary>More entries than this and the memory starts again (a performance's entry is a few hundred bytes).</summary>
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();
    private long _generation;

    /// <summary>The performance with its event and categories (no seat counters), or null when there is none.</summary>
    public Task<Performance?> GetAsync(Guid performanceId, CancellationToken ct)
    {
        var lifetime = options.Value.OnSaleCacheMilliseconds;
        if (lifetime <= 0) return ReadAsync(performanceId, ct);

        var generation = Volatile.Read(ref _generation);
        var now = Environment.TickCount64;
        if (_entries.TryGetValue(performanceId, out var entry) && entry.IsUsable(generation, now)) return entry.Read;

        if (_entries.Count >= MaxEntries) _entries.Clear();
        // Misses at the same moment share one read (not cancelled by any one caller: the others wait for it).
        var fresh = new Entry(generation, now + lifetime, new Lazy<Task<Performance?>>(() => ReadAsync(performanceId, CancellationToken.None)));
        var winner = _entries.AddOrUpdate(performanceId, fresh, (_, old) => old.IsUsable(generation, now) ? old : fresh);
        return winner.Read.WaitAsync(ct);
    }

    /// <summary>An event changed in this process: forget every performance (events change rarely; sales read often).</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    private async Task<Performance?> ReadAsync(Guid performanceId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Performances.AsNoTracking().Where(p => p.Id == performanceId)
            .Select(p => new Performance
            {
                Id = p.Id, EventId = p.EventId, StartsAt = p.StartsAt, SalesOpenAt = p.SalesOpenAt, SalesCloseAt = p.SalesCloseAt,
                VenueName = p.VenueName, City = p.City, SeatingPlanId = p.SeatingPlanId,
                Event = new Event { Id = p.Event!.Id, Title = p.Event.Title, Status = p.Event.Status, MaxTicketsPerOrder = p.Event.MaxTicketsPerOrder,
                    MaxTicketsPerAccount = p.Event.MaxTicketsPerAccount, MaxTicketsPerAccountPerCategory = p.Event.MaxTicketsPerAccountPerCategory,
                    BookingFeeMinor = p.Event.BookingFeeMinor },
                Categories = p.Categories.Select(c => new PriceCategory { Id = c.Id, Name = c.Name, PriceMinor = c.PriceMinor, Currency = c.Currency,
                    VatRateBasisPoints = c.VatRateBasisPoints, PresaleOnly = c.PresaleOnly, Seated = c.Seated }).ToList(),
            })
            .FirstOrDefaultAsync(ct);
    }

    private sealed class Entry(long generation, long until, Lazy<Task<Performance?>> read)
    {
        public Task<Performance?> Read => read.Value;

        /// <summary>Read since the last local change, still within its lifetime, and not failed (a failed read is retried).</summary>
        public bool IsUsable(long currentGeneration, long now) =>
            generation == currentGeneration && now < until && !Read.IsFaulted && !Read.IsCanceled;
    }
}
