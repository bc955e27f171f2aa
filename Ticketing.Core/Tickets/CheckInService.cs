using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Common;
using Ticketing.Core.Door;
using Ticketing.Core.Events;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Tickets;

public enum CheckInOutcome { Admitted, AlreadyUsed, Invalid, Voided, WrongPerformance }

public sealed record CheckInTicket(Guid Id, string Number, string HolderName, string CategoryName, Guid PerformanceId, string EventTitle,
    DateTimeOffset StartsAt, string Status, DateTimeOffset? UsedAt, Seating.SeatRefDto? Seat = null);

public sealed record CheckInResult(string Result, CheckInTicket? Ticket, int? AdmittedCount = null, int? TicketCount = null);

public sealed record DoorPerformance(Guid PerformanceId, Guid EventId, string EventTitle, DateTimeOffset StartsAt, string VenueName, string City,
    string TimeZoneId, int Admitted, int Tickets);

/// <summary>
/// The door. A forged or altered code, an unknown ticket and another organizer's ticket are all just Invalid (same
/// answer, same path); then one conditional UPDATE <c>Valid -> Used</c> decides: of two simultaneous scans of one ticket, exactly one is Admitted.
/// </summary>
public sealed class CheckInService(
    IDbContextFactory<TicketingDbContext> dbFactory,
    TicketCodeSigner signer,
    TimeProvider clock,
    ILogger<CheckInService> logger)
{
    public Task<CheckInResult> ScanAsync(string? code, Actor actor, Guid? performanceId = null, CancellationToken ct = default) =>
        ScanAsync(code, (owner, _, _) => actor.IsAdmin || owner == actor.UserId, null, actor.UserId, performanceId, ct);

    /// <summary>A door device's scan: only its own event's tickets (and dates, when it is limited to some) are its own; the rest is Invalid.</summary>
    public Task<CheckInResult> ScanAsync(string? code, DoorDeviceCaller device, Guid? performanceId = null, CancellationToken ct = default) =>
        ScanAsync(code, (_, eventId, performance) => eventId == device.EventId && device.Covers(performance), device.DeviceId, device.DeviceId,
            performanceId, ct);

    private async Task<CheckInResult> ScanAsync(string? code, Func<Guid, Guid, Guid, bool> mayScan, Guid? deviceId, Guid scannerId,
        Guid? performanceId, CancellationToken ct)
    {
        await signer.InitializeAsync(ct);
        bool signed = signer.TryVerify(code, out var ticketId, out var signedPerformance);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!signed && NormalizeNumber(code) is { } number)
            (signed, ticketId, signedPerformance) = await FindByNumberAsync(db, number, mayScan, performanceId, ct);
        // The same query whatever the signature said (a forged code looks up the empty id, which never exists), and one
        // answer for a forged code, an unknown ticket and another organizer's genuine ticket: the door tells a scanner
        // nothing about tickets that are not theirs, not even by how long it took.
        var ticket = await (from t in db.Tickets.AsNoTracking()
                            join e in db.Events on t.EventId equals e.Id
                            where t.Id == ticketId
                            select new { t.PerformanceId, t.Status, e.OwnerId, t.EventId }).FirstOrDefaultAsync(ct);
        if (!signed || ticket is null || ticket.PerformanceId != signedPerformance || !mayScan(ticket.OwnerId, ticket.EventId, ticket.PerformanceId))
        {
            logger.LogWarning("Door scan by {ScannerId} refused: forged code, unknown ticket or another organizer's ticket", scannerId);
            return new CheckInResult(nameof(CheckInOutcome.Invalid), null);
        }

        if (performanceId is { } expected && expected != ticket.PerformanceId)
            return new CheckInResult(nameof(CheckInOutcome.WrongPerformance), await DescribeAsync(db, ticketId, ct));
        if (ticket.Status == TicketStatus.Voided)
            return new CheckInResult(nameof(CheckInOutcome.Voided), await DescribeAsync(db, ticketId, ct));

        var now = clock.GetUtcNow();
        var admitted = await db.Tickets.Where(t => t.Id == ticketId && t.Status == TicketStatus.Valid)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TicketStatus.Used).SetProperty(t => t.UsedAt, now).SetProperty(t => t.AdmissionRecordedAt, now)
                .SetProperty(t => t.AdmittedByDeviceId, deviceId), ct) == 1;
        var described = await DescribeAsync(db, ticketId, ct);
        var (used, total) = await CountsAsync(db, ticket.PerformanceId, ct);
        if (admitted)
        {
            logger.LogInformation("Ticket {TicketId} admitted", ticketId);
            return new CheckInResult(nameof(CheckInOutcome.Admitted), described, used, total);
        }
        // Lost the race, or scanned before: the database says which.
        var outcome = described!.Status == nameof(TicketStatus.Voided) ? CheckInOutcome.Voided : CheckInOutcome.AlreadyUsed;
        return new CheckInResult(outcome.ToString(), described, used, total);
    }

    /// <summary>
    /// The printed ticket number typed by hand (spaces and case do not matter): the actor's own tickets only, and with a
    /// date chosen, only the tickets of that date's event (numbers are unique per date, not across events). Not found,
    /// or ambiguous, is the same Invalid as a forged code.
    /// </summary>
    private static async Task<(bool Found, Guid TicketId, Guid PerformanceId)> FindByNumberAsync(
        TicketingDbContext db, string number, Func<Guid, Guid, Guid, bool> mayScan, Guid? performanceId, CancellationToken ct)
    {
        Guid? eventId = performanceId is { } p
            ? await db.Performances.Where(x => x.Id == p).Select(x => (Guid?)x.EventId).FirstOrDefaultAsync(ct)
            : null;
        if (performanceId is not null && eventId is null) return default;
        var found = await (from t in db.Tickets.AsNoTracking()
                           join e in db.Events on t.EventId equals e.Id
                           where t.Number == number && (eventId == null || t.EventId == eventId)
                           select new { t.Id, t.PerformanceId, e.OwnerId, t.EventId }).Take(10).ToListAsync(ct);
        found = found.Where(t => mayScan(t.OwnerId, t.EventId, t.PerformanceId)).ToList();
        var match = found.Where(t => t.PerformanceId == performanceId).ToList() is [var here] ? here
            : found is [var only] ? only : null;
        return match is null ? default : (true, match.Id, match.PerformanceId);
    }

    /// <summary>What a typed ticket number looks like once tidied ("lyo-0612-000001 " -> "LYO-0612-000001"); null for anything else.</summary>
    internal static string? NormalizeNumber(string? code)
    {
        if (string.IsNullOrWhiteSpace(code)) return null;
        var n = string.Concat(code.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();
        return n.Length is >= 3 and <= 32 && n.All(c => c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '-') ? n : null;
    }

    /// <summary>The dates an actor can check in: their own (Admins: all), from yesterday on.</summary>
    public async Task<IReadOnlyList<DoorPerformance>> ListPerformancesAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var since = clock.GetUtcNow().AddDays(-1);
        var rows = await (from p in db.Performances.AsNoTracking()
                          join e in db.Events on p.EventId equals e.Id
                          where (actor.IsAdmin || e.OwnerId == actor.UserId) && e.Status == EventStatus.Published && p.StartsAt >= since
                          orderby p.StartsAt
                          select new { p.Id, p.EventId, e.Title, p.StartsAt, p.VenueName, p.City, p.TimeZoneId }).Take(200).ToListAsync(ct);
        var ids = rows.Select(r => r.Id).ToList();
        var counts = await db.Tickets.Where(t => ids.Contains(t.PerformanceId) && t.Status != TicketStatus.Voided)
            .GroupBy(t => t.PerformanceId)
            .Select(g => new { g.Key, Total = g.Count(), Used = g.Count(t => t.Status == TicketStatus.Used) }).ToListAsync(ct);
        return rows.Select(r =>
        {
            var c = counts.FirstOrDefault(x => x.Key == r.Id);
            return new DoorPerformance(r.Id, r.EventId, r.Title, r.StartsAt, r.VenueName, r.City, r.TimeZoneId, c?.Used ?? 0, c?.Total ?? 0);
        }).ToList();
    }

    public async Task<(int Admitted, int Tickets)> GetCountsAsync(Guid performanceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await CountsAsync(db, performanceId, ct);
    }

    private static async Task<(int, int)> CountsAsync(TicketingDbContext db, Guid performanceId, CancellationToken ct)
    {
        var used = await db.Tickets.CountAsync(t => t.PerformanceId == performanceId && t.Status == TicketStatus.Used, ct);
        var total = await db.Tickets.CountAsync(t => t.PerformanceId == performanceId && t.Status != TicketStatus.Voided, ct);
        return (used, total);
    }

    private static async Task<CheckInTicket?> DescribeAsync(TicketingDbContext db, Guid ticketId, CancellationToken ct) =>
        await (from t in db.Tickets.AsNoTracking()
               join p in db.Performances on t.PerformanceId equals p.Id
               join e in db.Events on t.EventId equals e.Id
               where t.Id == ticketId
               select new CheckInTicket(t.Id, t.Number, t.HolderName, t.CategoryName, t.PerformanceId, e.Title, p.StartsAt, t.Status.ToString(), t.UsedAt,
                   t.SeatId == null ? null : new Seating.SeatRefDto(t.SeatId.Value, t.SeatSection ?? "", t.SeatRow ?? "", t.SeatLabel ?? "")))
            .FirstOrDefaultAsync(ct);
}
