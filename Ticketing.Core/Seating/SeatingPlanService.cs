using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Common;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Seating;

/// <summary>Seating plans: create (and import), read (and export), list, and a performance's seat map.</summary>
public sealed class SeatingPlanService(
    IDbContextFactory<TicketingDbContext> dbFactory,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<SeatingPlanService> logger)
{
    /// <summary>Stores a plan (Organizer or Admin; the route requires the role). The JSON import is this call.</summary>
    public async Task<SeatingPlanCreated> CreateAsync(SeatingPlanInput? input, Actor actor, CancellationToken ct = default)
    {
        var plan = SeatingRules.Build(input, actor.UserId, clock.GetUtcNow(), localizer);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.SeatingPlans.Add(plan);
        await db.SaveChangesAsync(ct);
        logger.LogInformation("Seating plan {PlanId} created by {UserId} with {Seats} seat(s) and {Zones} standing zone(s)",
            plan.Id, actor.UserId, plan.SeatCount, plan.StandingZones.Count);
        return new SeatingPlanCreated(plan.Id, plan.SeatCount);
    }

    /// <summary>The plan in the shape it was posted, with ids (the JSON export); its owner and Admins only, 404 for anyone else.</summary>
    public async Task<SeatingPlanDto> GetAsync(Guid id, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var plan = await db.SeatingPlans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id && (actor.IsAdmin || p.OwnerId == actor.UserId), ct)
                   ?? throw new NotFoundException(localizer["Error.not_found"]);
        var seats = await db.SeatingPlanSeats.AsNoTracking().Where(s => s.PlanId == id).OrderBy(s => s.Ordinal).ToListAsync(ct);
        var zones = await db.StandingZones.AsNoTracking().Where(z => z.PlanId == id).OrderBy(z => z.Ordinal).ToListAsync(ct);
        return new SeatingPlanDto(plan.Id, plan.Name, plan.SeatCount, plan.CreatedAt, Sections(seats),
            zones.Select(z => new StandingZoneDto(z.Id, z.Name, z.Capacity, z.Category)).ToList());
    }

    /// <summary>The caller's plans (an Admin: everyone's), newest first.</summary>
    public async Task<IReadOnlyList<SeatingPlanSummary>> ListAsync(Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var plans = await db.SeatingPlans.AsNoTracking().Where(p => actor.IsAdmin || p.OwnerId == actor.UserId)
            .Select(p => new SeatingPlanSummary(p.Id, p.Name, p.SeatCount, p.CreatedAt)).ToListAsync(ct);
        return plans.OrderByDescending(p => p.CreatedAt).ToList();
    }

    /// <summary>The seats of one performance with their state, in plan order (anyone; empty for general admission).</summary>
    public async Task<PerformanceSeatsDto> GetSeatsAsync(Guid performanceId, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (!await db.Performances.AnyAsync(p => p.Id == performanceId, ct)) throw new NotFoundException(localizer["Error.not_found"]);
        var seats = await db.PerformanceSeats.AsNoTracking().Where(s => s.PerformanceId == performanceId).OrderBy(s => s.Ordinal)
            .Select(s => new PerformanceSeatDto(s.Id, s.Section, s.Row, s.Label, s.CategoryId, s.Status, s.X, s.Y, s.Accessible))
            .ToListAsync(ct);
        return new PerformanceSeatsDto(performanceId, seats);
    }

    /// <summary>Seats in plan order grouped back into sections and rows (consecutive runs keep the drawn order).</summary>
    private static List<SectionDto> Sections(IReadOnlyList<SeatingPlanSeat> seats)
    {
        var sections = new List<SectionDto>();
        foreach (var section in Runs(seats, s => s.Section))
            sections.Add(new SectionDto(section[0].Section, Runs(section, s => s.Row)
                .Select(row => new RowDto(row[0].Row, row.Select(s => new SeatDto(s.Id, s.Label, s.X, s.Y, s.Category, s.Accessible, s.Companion,
                    s.Restricted, s.Blocked)).ToList())).ToList()));
        return sections;
    }

    private static List<List<SeatingPlanSeat>> Runs(IEnumerable<SeatingPlanSeat> seats, Func<SeatingPlanSeat, string> key)
    {
        var runs = new List<List<SeatingPlanSeat>>();
        foreach (var s in seats)
        {
            if (runs.Count == 0 || key(runs[^1][0]) != key(s)) runs.Add([]);
            runs[^1].Add(s);
        }
        return runs;
    }
}
