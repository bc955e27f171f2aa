using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Seating;

/// <summary>
/// Gives a new performance its seat inventory from a plan: one <see cref="PerformanceSeat"/> per plan seat. The plan's
/// category names are matched (trimmed, case-insensitive) to the performance's categories: a matched category becomes
/// <see cref="PriceCategory.Seated"/> with a capacity of its sellable seats; a category named by standing zones only keeps
/// general admission with the zones' total capacity; a seat whose category has no match (or drawn blocked) is Blocked.
/// Runs before the performance is first saved, so the counters start consistent (nothing is sold yet).
/// </summary>
public static class PerformanceSeating
{
    /// <summary>Adds the seats to <paramref name="db"/> (not saved) and sets the categories; a validation error when the plan is not the caller's.</summary>
    public static async Task AttachAsync(TicketingDbContext db, Performance performance, Guid planId, Actor actor, string field, Validator v,
        CancellationToken ct)
    {
        var plan = await db.SeatingPlans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == planId && (actor.IsAdmin || p.OwnerId == actor.UserId), ct);
        if (plan is null)
        {
            v.Add(field, "Validation.UnknownSeatingPlan");
            return;
        }
        var seats = await db.SeatingPlanSeats.AsNoTracking().Where(s => s.PlanId == planId).OrderBy(s => s.Ordinal).ToListAsync(ct);
        var zones = await db.StandingZones.AsNoTracking().Where(z => z.PlanId == planId).ToListAsync(ct);
        var byName = performance.Categories.GroupBy(c => Key(c.Name)).ToDictionary(g => g.Key, g => g.First());

        performance.SeatingPlanId = planId;
        var sellable = new Dictionary<Guid, int>();
        foreach (var s in seats)
        {
            var category = s.Category is { } name && byName.TryGetValue(Key(name), out var c) ? c : null;
            var open = category is not null && !s.Blocked;
            if (open) sellable[category!.Id] = sellable.GetValueOrDefault(category.Id) + 1;
            db.PerformanceSeats.Add(new PerformanceSeat
            {
                Id = Guid.CreateVersion7(), PerformanceId = performance.Id, PlanSeatId = s.Id, CategoryId = category?.Id, Ordinal = s.Ordinal,
                Section = s.Section, Row = s.Row, Label = s.Label, X = s.X, Y = s.Y, Accessible = s.Accessible, Companion = s.Companion,
                Restricted = s.Restricted, Status = open ? SeatStatus.Available : SeatStatus.Blocked,
            });
        }
        var seatedNames = seats.Where(s => s.Category is not null).Select(s => Key(s.Category!)).ToHashSet();
        foreach (var c in performance.Categories)
        {
            if (seatedNames.Contains(Key(c.Name)))
            {
                // A new category (nothing sold or held): its capacity is its seats.
                c.Seated = true;
                c.Capacity = sellable.GetValueOrDefault(c.Id);
            }
            else if (zones.Where(z => z.Category is not null && Key(z.Category) == Key(c.Name)).Sum(z => z.Capacity) is > 0 and var standing)
                c.Capacity = standing;
        }
    }

    private static string Key(string name) => name.Trim().ToUpperInvariant();
}
