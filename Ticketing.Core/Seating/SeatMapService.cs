using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;
using Ticketing.Core.Common;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Seating;

/// <summary>
/// The compact seat map of a performance (<c>GET /api/performances/{id}/seats?format=compact</c>) and its availability
/// deltas (<c>GET /api/performances/{id}/seats/changes?since=</c>). Index <c>i</c> of every per-seat array is the i-th seat
/// in plan order. The layout (sections, rows, labels, positions, categories, flags) never changes for a performance, so it is
/// cached in memory; the status string ("A" available, "H" held, "S" sold, "B" blocked, one character a seat) is read
/// at most once a second per performance (one narrow indexed read) and versioned: the last snapshots are kept so a
/// poll answers only the seats that changed since the version the map holds.
/// </summary>
public sealed class SeatMapService(IDbContextFactory<TicketingDbContext> dbFactory, IMemoryCache cache, IStringLocalizer<SharedResource> localizer)
{
    /// <summary>How long a status snapshot is served before the database is read again.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromMilliseconds(750);
    private const int KeptSnapshots = 32;
    /// <summary>Versions are only meaningful to the process that made them: a version from another one answers the full status.</summary>
    private static readonly string Boot = Guid.NewGuid().ToString("N")[..8];

    /// <summary>A performance's recent status snapshots, kept while fans poll it (evicted 10 minutes after the last poll).</summary>
    private Tracker TrackerOf(Guid performanceId) =>
        cache.GetOrCreate(("seatmap-status", performanceId), e =>
        {
            e.SlidingExpiration = TimeSpan.FromMinutes(10);
            e.Size = 1;
            return new Tracker();
        })!;

    public async Task<CompactSeatMapDto> GetCompactAsync(Guid performanceId, CancellationToken ct = default)
    {
        var layout = await LayoutAsync(performanceId, ct);
        var (version, status) = await StatusAsync(performanceId, ct);
        return layout with { Version = version, Status = status };
    }

    /// <summary>The seats whose status changed since <paramref name="since"/>, or the whole status when that version is unknown.</summary>
    public async Task<SeatChangesDto> GetChangesAsync(Guid performanceId, string? since, CancellationToken ct = default)
    {
        await LayoutAsync(performanceId, ct); // 404 for an unknown performance
        var tracker = TrackerOf(performanceId);
        var (version, status) = await StatusAsync(performanceId, ct);
        string? old;
        lock (tracker) old = tracker.Snapshots.FirstOrDefault(s => s.Version == since).Status;
        if (old is null || old.Length != status.Length) return new SeatChangesDto(performanceId, version, true, [], status);
        var changes = new List<object[]>();
        for (var i = 0; i < status.Length; i++)
            if (old[i] != status[i]) changes.Add([i, status[i].ToString()]);
        return new SeatChangesDto(performanceId, version, false, changes, null);
    }

    private async Task<CompactSeatMapDto> LayoutAsync(Guid performanceId, CancellationToken ct)
    {
        if (cache.TryGetValue(("seatmap-layout", performanceId), out CompactSeatMapDto? cached) && cached is not null) return cached;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Performances.AnyAsync(p => p.Id == performanceId, ct)) throw new NotFoundException(localizer["Error.not_found"]);
        var seats = await db.PerformanceSeats.AsNoTracking().Where(s => s.PerformanceId == performanceId).OrderBy(s => s.Ordinal)
            .Select(s => new { s.Ordinal, s.Section, s.Row, s.Label, s.CategoryId, s.X, s.Y, s.Accessible, s.Companion, s.Restricted })
            .ToListAsync(ct);
        var categories = new List<Guid>();
        var sections = new List<string>();
        var rows = new List<object[]>();
        var labels = new string[seats.Count];
        var ordinals = new int[seats.Count];
        var xs = new int[seats.Count];
        var ys = new int[seats.Count];
        var cats = new int[seats.Count];
        var flags = new List<int[]>();
        int prevOrdinal = 0, prevX = 0, prevY = 0;
        string? section = null, row = null;
        for (var i = 0; i < seats.Count; i++)
        {
            var s = seats[i];
            if (s.Section != section || s.Row != row)
            {
                if (s.Section != section) sections.Add(s.Section);
                section = s.Section;
                row = s.Row;
                rows.Add([sections.Count - 1, s.Row, 0]);
            }
            rows[^1][2] = (int)rows[^1][2] + 1;
            labels[i] = s.Label;
            ordinals[i] = s.Ordinal - prevOrdinal;
            prevOrdinal = s.Ordinal;
            var x = (int)Math.Round(s.X * 10);
            var y = (int)Math.Round(s.Y * 10);
            xs[i] = x - prevX;
            ys[i] = y - prevY;
            (prevX, prevY) = (x, y);
            if (s.CategoryId is { } c)
            {
                var index = categories.IndexOf(c);
                if (index < 0) { categories.Add(c); index = categories.Count - 1; }
                cats[i] = index + 1;
            }
            var f = (s.Accessible ? 1 : 0) | (s.Companion ? 2 : 0) | (s.Restricted ? 4 : 0);
            if (f != 0) flags.Add([i, f]);
        }
        var layout = new CompactSeatMapDto(performanceId, "", seats.Count, categories, sections, rows, labels, ordinals, xs, ys, cats, flags, "");
        cache.Set(("seatmap-layout", performanceId), layout, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(10), Size = 1 });
        return layout;
    }

    /// <summary>
    /// The status string (one character a seat, plan order), from a snapshot at most <paramref name="maxAge"/> old (the
    /// one the maps are served from; <see cref="TimeSpan.Zero"/>: read now). Best available picks from it (<see cref="SeatPicker"/>).
    /// </summary>
    public async Task<string> StatusAsync(Guid performanceId, TimeSpan maxAge, CancellationToken ct = default) =>
        (await StatusAsync(performanceId, ct, maxAge)).Status;

    private async Task<(string Version, string Status)> StatusAsync(Guid performanceId, CancellationToken ct, TimeSpan? maxAge = null)
    {
        var tracker = TrackerOf(performanceId);
        lock (tracker)
            if (tracker.Snapshots.Count > 0 && tracker.Read.Elapsed < (maxAge ?? Freshness)) return tracker.Snapshots[^1];
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var statuses = await db.PerformanceSeats.AsNoTracking().Where(s => s.PerformanceId == performanceId).OrderBy(s => s.Ordinal)
            .Select(s => s.Status).ToListAsync(ct);
        var sb = new StringBuilder(statuses.Count);
        foreach (var st in statuses)
            sb.Append(st switch { SeatStatus.Available => 'A', SeatStatus.Held => 'H', SeatStatus.Sold => 'S', _ => 'B' });
        var status = sb.ToString();
        lock (tracker)
        {
            tracker.Read.Restart();
            if (tracker.Snapshots.Count == 0 || tracker.Snapshots[^1].Status != status)
            {
                tracker.Number++;
                tracker.Snapshots.Add((Boot + "-" + tracker.Number.ToString(CultureInfo.InvariantCulture), status));
                if (tracker.Snapshots.Count > KeptSnapshots) tracker.Snapshots.RemoveAt(0);
            }
            return tracker.Snapshots[^1];
        }
    }

    /// <summary>The seat ids of the given plan ordinals (the map works with positions; orders take ids).</summary>
    public async Task<IReadOnlyList<PerformanceSeatDto>> GetByOrdinalsAsync(Guid performanceId, IReadOnlyCollection<int> ordinals, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Performances.AnyAsync(p => p.Id == performanceId, ct)) throw new NotFoundException(localizer["Error.not_found"]);
        var list = ordinals.Take(200).ToList();
        return await db.PerformanceSeats.AsNoTracking().Where(s => s.PerformanceId == performanceId && list.Contains(s.Ordinal)).OrderBy(s => s.Ordinal)
            .Select(s => new PerformanceSeatDto(s.Id, s.Section, s.Row, s.Label, s.CategoryId, s.Status, s.X, s.Y, s.Accessible))
            .ToListAsync(ct);
    }

    private sealed class Tracker
    {
        public readonly List<(string Version, string Status)> Snapshots = [];
        public readonly Stopwatch Read = Stopwatch.StartNew();
        public long Number;
    }
}

/// <summary>
/// The compact map: <c>rows</c> = [sectionIndex, label, seatCount] runs in plan order; per seat (index i): <c>labels[i]</c>,
/// <c>ordinals[i]</c> / <c>x[i]</c> / <c>y[i]</c> as differences from the previous seat (positions in tenths of a plan unit),
/// <c>categories[i]</c> = 1 + index into <c>categoryIds</c> (0: none), <c>flags</c> = [[i, bits]] (1 accessible, 2 companion,
/// 4 restricted view), <c>status</c> one character a seat (A, H, S, B).
/// </summary>
public sealed record CompactSeatMapDto(Guid PerformanceId, string Version, int Count, IReadOnlyList<Guid> CategoryIds, IReadOnlyList<string> Sections,
    IReadOnlyList<object[]> Rows, IReadOnlyList<string> Labels, IReadOnlyList<int> Ordinals, IReadOnlyList<int> X, IReadOnlyList<int> Y,
    IReadOnlyList<int> Categories, IReadOnlyList<int[]> Flags, string Status);

/// <summary>A poll: <c>changes</c> = [[index, status]] since the version asked; <c>full</c> with the whole <c>status</c> when that version is unknown.</summary>
public sealed record SeatChangesDto(Guid PerformanceId, string Version, bool Full, IReadOnlyList<object[]> Changes, string? Status);
