using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Seating;

/// <summary>
/// Picks best-available seats (<see cref="BestAvailable"/>'s rule) without reading the category's seats from the database
/// each time: the rows are computed once per performance (<see cref="BestAvailableRows"/>, kept in memory like the seat
/// map's layout) and the seats' statuses come from the seat map's snapshot (<see cref="SeatMapService.StatusAsync"/>: one
/// narrow read at most every 750 ms per performance, shared with the maps; a picker that lost its seats asks for a fresh one).
/// Concurrent pickers of this instance do not all go for the same block: the seats a picker chose are kept aside for
/// <see cref="KeptAside"/> (a pick and its keeping aside are one step per performance), and seats lost to someone else too,
/// so the next picker takes the next-best block. The database stays the judge: the hold's conditional UPDATE takes the
/// seats or answers which were gone, whatever this memory believed.
/// </summary>
public sealed class SeatPicker(IDbContextFactory<TicketingDbContext> dbFactory, IMemoryCache cache, SeatMapService maps, TimeProvider clock)
{
    /// <summary>How long picked or lost seats are kept aside: longer than the snapshot's age, so the next snapshot shows them taken.</summary>
    public static readonly TimeSpan KeptAside = SeatMapService.Freshness * 3;

    /// <summary>A seat as a hold needs it (its line shows section, row and label).</summary>
    public sealed record Seat(Guid Id, Guid? CategoryId, string Section, string Row, string Label);

    private sealed class Layout
    {
        public required Seat[] Seats { get; init; } // plan order: index i = the status string's character i
        public required Dictionary<Guid, BestAvailableRows> Categories { get; init; }
        public required Dictionary<Guid, int> IndexOf { get; init; }
        public readonly ConcurrentDictionary<int, long> Aside = new(); // plan index -> until (timestamp)
    }

    /// <summary>
    /// The best <paramref name="n"/> seats of <paramref name="categoryId"/> open now and not in <paramref name="exclude"/>,
    /// kept aside for this picker (give them back with <see cref="Release"/> when the hold did not take them), or null.
    /// <paramref name="fresh"/>: read the statuses now (after losing seats) rather than from the last snapshot;
    /// <paramref name="evenAside"/>: also consider the seats other pickers kept aside (before answering that nothing is left).
    /// </summary>
    public async Task<IReadOnlyList<Seat>?> PickAsync(Guid performanceId, Guid categoryId, int n, ISet<Guid> exclude, bool fresh, CancellationToken ct,
        bool evenAside = false)
    {
        var layout = await LayoutAsync(performanceId, ct);
        if (!layout.Categories.TryGetValue(categoryId, out var rows)) return null;
        var status = await maps.StatusAsync(performanceId, fresh ? TimeSpan.Zero : SeatMapService.Freshness, ct);
        if (status.Length != layout.Seats.Length) return null; // cannot happen: a performance's seats never change
        var now = clock.GetTimestamp();
        lock (layout)
        {
            var picked = rows.Pick(n, i => status[i] == 'A' && (evenAside || !IsAside(layout, i, now)) && !exclude.Contains(layout.Seats[i].Id));
            if (picked is null) return null;
            var until = now + (long)(KeptAside.TotalSeconds * clock.TimestampFrequency);
            foreach (var i in picked) layout.Aside[i] = until;
            if (layout.Aside.Count > 4096) Prune(layout, now);
            return picked.Select(i => layout.Seats[i]).ToList();
        }
    }

    /// <summary>
    /// Seats given rather than chosen (a waiting-list offer, comps): the best <paramref name="n"/> side by side, else the
    /// best ones one at a time (two guests apart rather than none), from a fresh read. Null when fewer are open.
    /// </summary>
    public async Task<IReadOnlyList<Seat>?> PickTogetherOrApartAsync(Guid performanceId, Guid categoryId, int n, CancellationToken ct)
    {
        var together = await PickAsync(performanceId, categoryId, n, new HashSet<Guid>(), fresh: true, ct, evenAside: true);
        if (together is not null) return together;
        var apart = new List<Seat>();
        while (apart.Count < n)
        {
            var one = await PickAsync(performanceId, categoryId, 1, apart.Select(s => s.Id).ToHashSet(), fresh: false, ct, evenAside: true);
            if (one is null)
            {
                Release(performanceId, apart.Select(s => s.Id));
                return null;
            }
            apart.AddRange(one);
        }
        return apart;
    }

    /// <summary>Seats picked but not taken by the hold (it failed for another reason, or lost others): open to the next picker again.</summary>
    public void Release(Guid performanceId, IEnumerable<Guid> seatIds)
    {
        if (!cache.TryGetValue(Key(performanceId), out Layout? layout) || layout is null) return;
        foreach (var id in seatIds)
            if (layout.IndexOf.TryGetValue(id, out var i)) layout.Aside.TryRemove(i, out _);
    }

    /// <summary>Seats someone else took (a hold's <c>seat_taken</c>): kept aside until the snapshots show them.</summary>
    public void Taken(Guid performanceId, IEnumerable<Guid> seatIds)
    {
        if (!cache.TryGetValue(Key(performanceId), out Layout? layout) || layout is null) return;
        var until = clock.GetTimestamp() + (long)(KeptAside.TotalSeconds * clock.TimestampFrequency);
        foreach (var id in seatIds)
            if (layout.IndexOf.TryGetValue(id, out var i)) layout.Aside[i] = until;
    }

    private static bool IsAside(Layout layout, int i, long now) => layout.Aside.TryGetValue(i, out var until) && until > now;

    private static void Prune(Layout layout, long now)
    {
        foreach (var (i, until) in layout.Aside)
            if (until <= now) layout.Aside.TryRemove(i, out _);
    }

    private static (string, Guid) Key(Guid performanceId) => ("seat-picker", performanceId);

    private async Task<Layout> LayoutAsync(Guid performanceId, CancellationToken ct)
    {
        if (cache.TryGetValue(Key(performanceId), out Layout? cached) && cached is not null) return cached;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var seats = await db.PerformanceSeats.AsNoTracking().Where(s => s.PerformanceId == performanceId).OrderBy(s => s.Ordinal)
            .Select(s => new { s.Id, s.CategoryId, s.Section, s.Row, s.Label, s.Ordinal, s.X, s.Y, s.Accessible, s.Companion })
            .ToListAsync(ct);
        var layout = new Layout
        {
            Seats = seats.Select(s => new Seat(s.Id, s.CategoryId, s.Section, s.Row, s.Label)).ToArray(),
            IndexOf = seats.Select((s, i) => (s.Id, i)).ToDictionary(x => x.Id, x => x.i),
            // Accessible and companion seats are never picked (they stay for those who need them): not eligible.
            Categories = seats.Select((s, i) => (s, i)).Where(x => x.s.CategoryId is not null).GroupBy(x => x.s.CategoryId!.Value)
                .ToDictionary(g => g.Key, g => BestAvailableRows.Of(g.Select(x =>
                    (new SeatSpot(x.s.Id, x.s.Section, x.s.Row, x.s.Ordinal, x.s.X, x.s.Y, !x.s.Accessible && !x.s.Companion), x.i)).ToList())),
        };
        // Two builders at once: the first one stored wins, so every picker shares one set of seats kept aside.
        return cache.GetOrCreate(Key(performanceId), e =>
        {
            e.SlidingExpiration = TimeSpan.FromMinutes(10);
            e.Size = 1;
            return layout;
        })!;
    }
}
