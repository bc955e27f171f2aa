using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.WaitingRoom;

/// <summary>
/// The virtual waiting room. Everything that decides a place lives in the database (one entry per account through a
/// unique index, the pre-queue ranked once by a conditional update, late places from a counter updated in the join's
/// transaction); admission is computed from the time since the opening × the rate, so every instance gives the same
/// answer. The memory cache only spares reads for <see cref="WaitingRoomOptions.CacheMilliseconds"/>.
/// </summary>
public sealed class WaitingRoomService(
    IDbContextFactory<TicketingDbContext> dbFactory,
    TimeProvider clock,
    AdmissionTokens tokens,
    IMemoryCache cache,
    IOptions<WaitingRoomOptions> options,
    IStringLocalizer<SharedResource> localizer,
    ILogger<WaitingRoomService> logger)
{
    private TimeSpan CacheFor => TimeSpan.FromMilliseconds(options.Value.CacheMilliseconds);

    // ---- Organizer ----

    public async Task<QueueSettingsDto> GetSettingsAsync(Guid performanceId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var performance = await ManageableAsync(db, performanceId, actor, ct);
        var queue = await db.Set<PerformanceQueue>().AsNoTracking().FirstOrDefaultAsync(q => q.PerformanceId == performanceId, ct);
        return queue is null
            ? new QueueSettingsDto(performanceId, false, 0, performance.SalesOpenAt ?? clock.GetUtcNow(), "", 0, 0)
            : await SettingsOfAsync(db, queue, ct);
    }

    public async Task<QueueSettingsDto> ConfigureAsync(Guid performanceId, Actor actor, QueueSettingsRequest request, CancellationToken ct = default)
    {
        if (request.AdmitPerMinute is < 1 or > 100_000)
            throw new RequestValidationException(new Dictionary<string, string[]>
                { ["admitPerMinute"] = [localizer["WaitingRoom.RateRange"]] });
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var performance = await ManageableAsync(db, performanceId, actor, ct);
        var now = clock.GetUtcNow();
        var queue = await db.Set<PerformanceQueue>().FirstOrDefaultAsync(q => q.PerformanceId == performanceId, ct);
        var opensAt = request.OpensAt ?? queue?.OpensAt ?? performance.SalesOpenAt ?? now;
        if (queue is null)
        {
            var seed = RandomNumberGenerator.GetBytes(32);
            queue = new PerformanceQueue
            {
                PerformanceId = performanceId, EventId = performance.EventId, Seed = Convert.ToHexStringLower(seed),
                Commitment = QueueOrder.Commitment(seed), OpensAt = opensAt,
            };
            db.Add(queue);
        }
        else if (opensAt != queue.OpensAt && (queue.PlacesAssigned || queue.OpensAt <= now))
        {
            // The commitment was published for this opening and the draw may have happened: the opening is kept.
            throw new RequestValidationException(new Dictionary<string, string[]> { ["opensAt"] = [localizer["WaitingRoom.AlreadyOpened"]] });
        }
        if (queue.OpensAt <= now && db.Entry(queue).State != EntityState.Added
            && (request.AdmitPerMinute != queue.AdmitPerMinute || request.Automatic != queue.AutoRate))
        {
            // Open already: the new rate runs from now on, from the places admitted so far (none moves back or forward).
            var schedule = AdmissionSchedule.Of(queue);
            var rate = request.Automatic ? Math.Min(AdmissionSchedule.CurrentRate(schedule), request.AdmitPerMinute) : request.AdmitPerMinute;
            queue.RateSchedule = AdmissionSchedule.Format(AdmissionSchedule.WithRate(schedule, now, rate, KeepSince(now)));
        }
        else if (queue.OpensAt > now)
        {
            queue.RateSchedule = null; // not open yet: one rate from the opening
        }
        queue.Enabled = request.Enabled;
        queue.AdmitPerMinute = request.AdmitPerMinute;
        queue.AutoRate = request.Automatic;
        queue.OpensAt = opensAt;
        queue.UpdatedAt = now;
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            throw new DomainException(ErrorCodes.Validation, "The waiting room was configured concurrently; try again.");
        }
        cache.Remove(QueueKey(performanceId));
        logger.LogInformation("Waiting room of performance {PerformanceId}: enabled {Enabled}, {AdmitPerMinute}/min (automatic {Automatic}), opens at {OpensAt}",
            performanceId, queue.Enabled, queue.AdmitPerMinute, queue.AutoRate, queue.OpensAt);
        return await SettingsOfAsync(db, queue, ct);
    }

    /// <summary>
    /// PUT /api/events/{id} with <c>waitingRoom</c> on some performances (after the event's own update): each is configured
    /// like PUT .../queue/settings, opening at its salesOpenAt. New performances are matched by their start.
    /// </summary>
    public async Task ApplyEventInputAsync(Events.EventInput input, Events.EventDetail updated, Actor actor, CancellationToken ct = default)
    {
        foreach (var p in input.Performances ?? [])
        {
            if (p.WaitingRoom is not { } room) continue;
            var performance = updated.Performances.FirstOrDefault(x => x.Id == p.Id) ?? updated.Performances.FirstOrDefault(x => x.StartsAt == p.StartsAt);
            if (performance is null) continue;
            await ConfigureAsync(performance.Id, actor, new QueueSettingsRequest(room.Enabled, room.AdmitPerMinute, performance.SalesOpenAt, room.Automatic), ct);
        }
    }

    private async Task<QueueSettingsDto> SettingsOfAsync(TicketingDbContext db, PerformanceQueue queue, CancellationToken ct)
    {
        var waiting = await db.Set<QueueEntry>().CountAsync(e => e.PerformanceId == queue.PerformanceId, ct);
        return new QueueSettingsDto(queue.PerformanceId, queue.Enabled, queue.AdmitPerMinute, queue.OpensAt, queue.Commitment, waiting,
            AdmittedCount(queue, clock.GetUtcNow()), queue.AutoRate, AdmissionSchedule.CurrentRate(AdmissionSchedule.Of(queue)));
    }

    private static async Task<Performance> ManageableAsync(TicketingDbContext db, Guid performanceId, Actor actor, CancellationToken ct)
    {
        var performance = await db.Performances.Include(p => p.Event).FirstOrDefaultAsync(p => p.Id == performanceId, ct)
            ?? throw new NotFoundException();
        EventAccess.EnsureCanManage(performance.Event, actor);
        return performance;
    }

    // ---- Fans ----

    /// <summary>Joins the queue; <c>Created</c> is false when the account was already in (same entry, same place).</summary>
    public async Task<(QueueEntryDto Entry, bool Created)> JoinAsync(Guid userId, Guid performanceId, CancellationToken ct = default)
    {
        var queue = await QueueAsync(performanceId, ct);
        if (queue is not { Enabled: true })
            throw new DomainException(ErrorCodes.WaitingRoomDisabled, localizer["Error.waiting_room_disabled"]);

        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            var existing = await db.Set<QueueEntry>().AsNoTracking().FirstOrDefaultAsync(e => e.PerformanceId == performanceId && e.UserId == userId, ct);
            if (existing is not null) return (await StatusOfAsync(existing, queue, ct), false);
        }

        var now = clock.GetUtcNow();
        if (now >= queue.OpensAt) queue = await EnsurePlacesAssignedAsync(queue, ct);
        var entry = new QueueEntry { Id = Guid.NewGuid(), PerformanceId = performanceId, UserId = userId, JoinedAt = now };
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var queues = db.Set<PerformanceQueue>().Where(q => q.PerformanceId == performanceId);
            // Before the opening: counted in the pre-queue unless the draw has already happened (the row lock orders us
            // against the one request that draws). After it, or too late: the next place behind everyone.
            entry.PreQueue = now < queue.OpensAt
                && await queues.Where(q => !q.PlacesAssigned).ExecuteUpdateAsync(s => s.SetProperty(q => q.PreQueueCount, q => q.PreQueueCount + 1), ct) == 1;
            if (!entry.PreQueue)
            {
                await queues.ExecuteUpdateAsync(s => s.SetProperty(q => q.LateCount, q => q.LateCount + 1), ct);
                var counts = await queues.Select(q => new { q.PreQueueCount, q.LateCount }).FirstAsync(ct);
                entry.Position = counts.PreQueueCount + counts.LateCount;
            }
            db.Add(entry);
            try
            {
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                // The same account joined in parallel: theirs is the entry (our counters roll back with the transaction).
                await tx.RollbackAsync(CancellationToken.None);
                await using var again = await dbFactory.CreateDbContextAsync(ct);
                var theirs = await again.Set<QueueEntry>().AsNoTracking().FirstAsync(x => x.PerformanceId == performanceId && x.UserId == userId, ct);
                return (await StatusOfAsync(theirs, queue, ct), false);
            }
        }
        logger.LogInformation("Entry {EntryId} joined the waiting room of performance {PerformanceId} (pre-queue {PreQueue})",
            entry.Id, performanceId, entry.PreQueue);
        return (await StatusOfAsync(entry, queue, ct), true);
    }

    /// <summary>
    /// The fan's status, computed at each call from the fan's entry and the queue's row, both kept in memory (the entry
    /// for <see cref="EntryCacheFor"/> after its last read, sliding: a place never changes once drawn; the queue's row for
    /// <see cref="WaitingRoomOptions.CacheMilliseconds"/>). Another account's entry is not found.
    /// </summary>
    public async Task<QueueEntryDto> StatusAsync(Guid entryId, Guid userId, CancellationToken ct = default)
    {
        var entry = await EntryAsync(entryId, ct);
        if (entry is null || entry.UserId != userId) throw new NotFoundException();
        var queue = await QueueAsync(entry.PerformanceId, ct) ?? throw new NotFoundException();
        return await StatusOfAsync(entry, queue, ct);
    }

    /// <summary>
    /// From memory only (the status fast path): the fan's status when their entry and its queue are in memory and the
    /// answer needs no database (not the first answer after the opening, which reads the drawn place); else null.
    /// </summary>
    public async Task<QueueEntryDto?> StatusFromMemoryAsync(Guid entryId, Guid userId, CancellationToken ct = default)
    {
        if (!cache.TryGetValue(EntryKey(entryId), out QueueEntry? entry) || entry is null || entry.UserId != userId
            || !cache.TryGetValue(QueueKey(entry.PerformanceId), out PerformanceQueue? queue) || queue is null
            || (entry.Position is null && clock.GetUtcNow() >= queue.OpensAt)) return null;
        return await StatusOfAsync(entry, queue, ct);
    }

    /// <summary>How long a fan's entry stays in memory after it was last read (a polling fan reads it every 2–15 s).</summary>
    public static readonly TimeSpan EntryCacheFor = TimeSpan.FromMinutes(5);

    private static (string, Guid) EntryKey(Guid entryId) => ("wr-entry", entryId);

    private async Task<QueueEntry?> EntryAsync(Guid entryId, CancellationToken ct)
    {
        if (cache.TryGetValue(EntryKey(entryId), out QueueEntry? cached) && cached is not null) return cached;
        QueueEntry? entry;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            entry = await db.Set<QueueEntry>().AsNoTracking().FirstOrDefaultAsync(e => e.Id == entryId, ct);
        if (entry is not null && CacheFor > TimeSpan.Zero)
            cache.Set(EntryKey(entryId), entry, new MemoryCacheEntryOptions { SlidingExpiration = EntryCacheFor });
        return entry;
    }

    private async Task<QueueEntryDto> StatusOfAsync(QueueEntry entry, PerformanceQueue queue, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (entry.Position is null && now >= queue.OpensAt)
        {
            queue = await EnsurePlacesAssignedAsync(queue, ct);
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            entry.Position = await db.Set<QueueEntry>().Where(e => e.Id == entry.Id).Select(e => e.Position).FirstOrDefaultAsync(ct);
        }
        var opensAt = queue.OpensAt;
        if (entry.Position is not { } position)
        {
            var untilOpening = (int)Math.Ceiling(Math.Max(0, (opensAt - now).TotalSeconds));
            return new QueueEntryDto(entry.Id, entry.PerformanceId, queue.EventId, QueueStatus.Waiting, null, null, untilOpening, null, null, opensAt, entry.PreQueue);
        }
        var admitted = AdmittedCount(queue, now);
        if (position > admitted)
        {
            var wait = (int)Math.Ceiling((TurnStart(queue, position) - now).TotalSeconds);
            return new QueueEntryDto(entry.Id, entry.PerformanceId, queue.EventId, QueueStatus.Waiting, position, position - admitted - 1,
                Math.Max(wait, 0), null, null, opensAt, entry.PreQueue);
        }
        var start = TurnStart(queue, position);
        if (entry.JoinedAt > start) start = entry.JoinedAt;
        var expiresAt = start.AddMinutes(options.Value.TurnMinutes);
        if (now >= expiresAt)
            return new QueueEntryDto(entry.Id, entry.PerformanceId, queue.EventId, QueueStatus.Expired, position, 0, null, null, expiresAt, opensAt, entry.PreQueue);
        var token = await tokens.IssueAsync(entry.UserId, entry.PerformanceId, expiresAt, ct);
        return new QueueEntryDto(entry.Id, entry.PerformanceId, queue.EventId, QueueStatus.Admitted, position, 0, 0, token, expiresAt, opensAt, entry.PreQueue);
    }

    /// <summary>How many places are admitted now, from the queue's row alone (its admission schedule): the same on every instance.</summary>
    public static int AdmittedCount(PerformanceQueue queue, DateTimeOffset now) => AdmissionSchedule.Admitted(AdmissionSchedule.Of(queue), now);

    /// <summary>The instant from which <paramref name="position"/> is admitted.</summary>
    private static DateTimeOffset TurnStart(PerformanceQueue queue, int position) => AdmissionSchedule.TurnStart(AdmissionSchedule.Of(queue), position);

    /// <summary>Segments of the schedule are kept while a place they admitted may still be in its turn.</summary>
    private DateTimeOffset KeepSince(DateTimeOffset now) => now.AddMinutes(-2 * options.Value.TurnMinutes);

    // ---- The automatic rate ----

    /// <summary>The purchases of the last <see cref="RateWindow"/> set the automatic rate.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(3);
    /// <summary>Fans admitted per purchase completed: not every admitted fan buys, and the checkout should never run dry.</summary>
    public const double RateHeadroom = 1.5;

    /// <summary>The automatic rate for <paramref name="paid"/> purchases in the last <see cref="RateWindow"/>: between a tenth of the most and the most.</summary>
    public static int AutomaticRate(int paid, int most) =>
        Math.Clamp((int)Math.Ceiling(paid / RateWindow.TotalMinutes * RateHeadroom), Math.Max(1, most / 10), most);

    /// <summary>
    /// The job (every 30 s): each open queue with the automatic rate takes the rate of the purchases completed for its date
    /// in the last <see cref="RateWindow"/> × <see cref="RateHeadroom"/> (the first window after the opening runs at the most),
    /// appended to its schedule from now on (a conditional update on the row's UpdatedAt: one writer wins, on any instance).
    /// Answers the queues whose rate changed.
    /// </summary>
    public async Task<int> AdjustAutomaticRatesAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var since = now - RateWindow;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var queues = await (from q in db.Set<PerformanceQueue>().AsNoTracking()
                            join p in db.Performances.AsNoTracking() on q.PerformanceId equals p.Id
                            where q.Enabled && q.AutoRate && q.OpensAt <= since && p.StartsAt > now
                            select q).ToListAsync(ct);
        var changed = 0;
        foreach (var queue in queues)
        {
            var paid = await db.Orders.CountAsync(o => o.PerformanceId == queue.PerformanceId && o.PaidAt != null && o.PaidAt > since && o.PaidAt <= now, ct);
            var schedule = AdmissionSchedule.Of(queue);
            var rate = AutomaticRate(paid, queue.AdmitPerMinute);
            if (rate == AdmissionSchedule.CurrentRate(schedule)) continue;
            var text = AdmissionSchedule.Format(AdmissionSchedule.WithRate(schedule, now, rate, KeepSince(now)));
            var won = await db.Set<PerformanceQueue>().Where(q => q.PerformanceId == queue.PerformanceId && q.UpdatedAt == queue.UpdatedAt && q.AutoRate)
                .ExecuteUpdateAsync(u => u.SetProperty(q => q.RateSchedule, text).SetProperty(q => q.UpdatedAt, now), ct) == 1;
            if (!won) continue;
            cache.Remove(QueueKey(queue.PerformanceId));
            changed++;
            logger.LogInformation("Waiting room of performance {PerformanceId}: automatic rate {Rate}/min ({Paid} purchases in the last {Minutes} min)",
                queue.PerformanceId, rate, paid, RateWindow.TotalMinutes);
        }
        return changed;
    }

    // ---- Fairness ----

    public async Task<QueueFairnessDto> FairnessAsync(Guid performanceId, CancellationToken ct = default)
    {
        var queue = await QueueAsync(performanceId, ct) ?? throw new NotFoundException();
        if (clock.GetUtcNow() < queue.OpensAt)
            return new QueueFairnessDto(performanceId, queue.Commitment, null, queue.OpensAt, null);
        queue = await EnsurePlacesAssignedAsync(queue, ct);
        return new QueueFairnessDto(performanceId, queue.Commitment, queue.Seed, queue.OpensAt, queue.PreQueueCount);
    }

    /// <summary>The places in order (after the opening only): what anyone compares with their own recomputation.</summary>
    public async Task<PagedResult<QueuePlaceDto>> OrderAsync(Guid performanceId, PageRequest page, CancellationToken ct = default)
    {
        var queue = await QueueAsync(performanceId, ct) ?? throw new NotFoundException();
        if (clock.GetUtcNow() < queue.OpensAt) return new PagedResult<QueuePlaceDto>([], page.Page, page.PageSize, 0);
        await EnsurePlacesAssignedAsync(queue, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var placed = db.Set<QueueEntry>().AsNoTracking().Where(e => e.PerformanceId == performanceId && e.Position != null);
        var total = await placed.CountAsync(ct);
        var items = await placed.OrderBy(e => e.Position).Skip(page.Skip).Take(page.PageSize)
            .Select(e => new QueuePlaceDto(e.Position!.Value, e.Id, e.PreQueue)).ToListAsync(ct);
        return new PagedResult<QueuePlaceDto>(items, page.Page, page.PageSize, total);
    }

    // ---- Orders ----

    /// <summary>
    /// During a queued sale (the performance's waiting room is on) an order needs a valid admission token of this account
    /// and performance; else 403 admission_required. Without a waiting room, nothing is asked. A presale order (one
    /// carrying an access code) before the queue's opening is not queued: the order itself needs a valid access code then.
    /// </summary>
    public async Task EnsureAdmittedAsync(Guid userId, Guid performanceId, string? admissionToken, CancellationToken ct = default,
        bool presale = false)
    {
        var queue = await QueueAsync(performanceId, ct);
        if (queue is not { Enabled: true }) return;
        if (presale && clock.GetUtcNow() < queue.OpensAt) return;
        if (await tokens.IsValidAsync(admissionToken, userId, performanceId, clock.GetUtcNow(), ct)) return;
        logger.LogInformation("Order refused without admission for performance {PerformanceId}", performanceId);
        throw new DomainException(ErrorCodes.AdmissionRequired, localizer["Error.admission_required"]);
    }

    /// <summary>For the server-rendered booking page: the account's own admission token when its turn runs now, else null.</summary>
    public async Task<string?> CurrentTokenAsync(Guid userId, Guid performanceId, CancellationToken ct = default)
    {
        var queue = await QueueAsync(performanceId, ct);
        if (queue is not { Enabled: true }) return null;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entry = await db.Set<QueueEntry>().AsNoTracking().FirstOrDefaultAsync(e => e.PerformanceId == performanceId && e.UserId == userId, ct);
        return entry is null ? null : (await StatusOfAsync(entry, queue, ct)).AdmissionToken;
    }

    public async Task<bool> IsQueuedAsync(Guid performanceId, CancellationToken ct = default) =>
        await QueueAsync(performanceId, ct) is { Enabled: true };

    // ---- The draw ----

    /// <summary>
    /// At the opening, once: the request that flips PlacesAssigned (a conditional update) ranks the pre-queue by
    /// SHA-256(seed ‖ entry id) in the same transaction. Joins before the opening lock the same row, so none slips in after.
    /// </summary>
    private async Task<PerformanceQueue> EnsurePlacesAssignedAsync(PerformanceQueue queue, CancellationToken ct)
    {
        if (queue.PlacesAssigned) return queue;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var won = await db.Set<PerformanceQueue>().Where(q => q.PerformanceId == queue.PerformanceId && !q.PlacesAssigned)
                .ExecuteUpdateAsync(s => s.SetProperty(q => q.PlacesAssigned, true), ct) == 1;
            if (won)
            {
                var entries = await db.Set<QueueEntry>().Where(e => e.PerformanceId == queue.PerformanceId && e.PreQueue).ToListAsync(ct);
                var order = QueueOrder.Rank(Convert.FromHexString(queue.Seed), entries.Select(e => e.Id));
                var byId = entries.ToDictionary(e => e.Id);
                for (int i = 0; i < order.Count; i++) byId[order[i]].Position = i + 1;
                await db.SaveChangesAsync(ct);
                await db.Set<PerformanceQueue>().Where(q => q.PerformanceId == queue.PerformanceId)
                    .ExecuteUpdateAsync(s => s.SetProperty(q => q.PreQueueCount, entries.Count), ct);
                await tx.CommitAsync(ct);
                logger.LogInformation("Waiting room of performance {PerformanceId} opened: {Count} pre-queue places drawn", queue.PerformanceId, entries.Count);
            }
        }
        cache.Remove(QueueKey(queue.PerformanceId));
        return await QueueAsync(queue.PerformanceId, ct) ?? queue;
    }

    private static (string, Guid) QueueKey(Guid performanceId) => ("wr-queue", performanceId);

    private async Task<PerformanceQueue?> QueueAsync(Guid performanceId, CancellationToken ct)
    {
        if (cache.TryGetValue(QueueKey(performanceId), out PerformanceQueue? cached)) return cached;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var queue = await db.Set<PerformanceQueue>().AsNoTracking().FirstOrDefaultAsync(q => q.PerformanceId == performanceId, ct);
        // A drawn queue's seed and counts before the draw never change again; settings may, so the entry lives briefly.
        if (CacheFor > TimeSpan.Zero) cache.Set(QueueKey(performanceId), queue, CacheFor);
        return queue;
    }
}
