using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Npgsql;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Inventory;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Seating;

/// <summary>What a reserved-seating hold asks for: chosen seats, seats to pick (best available) per category, and general-admission lines.</summary>
public sealed record SeatRequest(IReadOnlyList<PerformanceSeat> Chosen, IReadOnlyList<PlaceOrderItem> Best, IReadOnlyList<PlaceOrderItem> General)
{
    /// <summary>Every line of the order per category (chosen seats counted), for the caps, the limits and the prices.</summary>
    public List<PlaceOrderItem> Lines => Chosen.GroupBy(s => s.CategoryId!.Value).Select(g => new PlaceOrderItem(g.Key, g.Count()))
        .Concat(Best).Concat(General).GroupBy(l => l.CategoryId).Select(g => new PlaceOrderItem(g.Key, g.Sum(l => l.Quantity)))
        .OrderBy(l => l.CategoryId).ToList();
}

/// <summary>
/// Holds on seats, all-or-nothing and exactly-once, in ONE transaction per hold: the order and its lines (one per seat)
/// are inserted, the account's guard row is bumped (<see cref="HoldCommitter"/>'s caps, same lock order: accounts,
/// then seats, then categories), then ONE conditional UPDATE takes the seats
/// (<c>SET Status = 'Held', OrderId = @o WHERE Id IN (...) AND Status = 'Available'</c>): if it did not take every seat
/// asked, the transaction rolls back and the answer is <c>409 seat_taken</c> naming the seats that were lost. The
/// categories' counters then move through <see cref="SeatInventory"/> as for general admission (reports, sold-out).
/// Best available picks the seats from what is open now (<see cref="SeatPicker"/>: from memory, no read of the category's
/// seats) and retries a few times, on a fresh view, when someone was faster.
/// </summary>
public sealed class SeatHolds(
    IDbContextFactory<TicketingDbContext> dbFactory,
    SeatInventory inventory,
    SeatPicker picker,
    IStringLocalizer<SharedResource> localizer,
    ILogger<SeatHolds> logger)
{
    /// <summary>How many times best available picks again after losing seats to a faster buyer.</summary>
    public const int BestAvailableAttempts = 4;

    /// <summary>The shape of a request naming seats: ids distinct, at most <see cref="OrderShape.MaxQuantity"/>; its general lines merged.</summary>
    public static List<PlaceOrderItem> CheckShape(PlaceOrderRequest request, IStringLocalizer localizer)
    {
        var v = new Validator(localizer);
        v.Require(request.PerformanceId != Guid.Empty, "performanceId", "Validation.Required");
        var seats = request.Seats!;
        if (seats.Count > OrderShape.MaxQuantity) v.Add("seats", "Validation.TooMany", OrderShape.MaxQuantity);
        if (seats.Distinct().Count() != seats.Count) v.Add("seats", "Validation.DuplicateSeat");
        if (request.Items is { Count: > 0 }) OrderShape.Check(v, request.Items);
        v.ThrowIfInvalid();
        return request.Items is { Count: > 0 } ? OrderShape.Merge(request.Items, localizer) : [];
    }

    /// <summary>Reads the chosen seats (unknown ones: 400) and splits the lines between seated (best available) and general admission.</summary>
    public async Task<SeatRequest> PrepareAsync(PlaceOrderRequest request, Performance performance, IReadOnlyList<PlaceOrderItem> lines,
        CancellationToken ct)
    {
        var seated = performance.Categories.Where(c => c.Seated).Select(c => c.Id).ToHashSet();
        var ids = request.Seats ?? [];
        List<PerformanceSeat> chosen = [];
        if (ids.Count > 0)
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var list = ids.ToList();
            chosen = await db.PerformanceSeats.AsNoTracking().Where(s => s.PerformanceId == performance.Id && list.Contains(s.Id)).ToListAsync(ct);
            if (chosen.Count != ids.Count)
            {
                var v = new Validator(localizer);
                var known = chosen.Select(s => s.Id).ToHashSet();
                for (var i = 0; i < ids.Count; i++)
                    if (!known.Contains(ids[i])) v.Add($"seats[{i}]", "Validation.UnknownSeat");
                v.ThrowIfInvalid();
            }
            var closed = chosen.Where(s => s.CategoryId is null || s.Status == SeatStatus.Blocked).Select(s => s.Id).ToList();
            if (closed.Count > 0) throw SeatTaken(closed);
            chosen = chosen.OrderBy(s => s.Ordinal).ToList();
        }
        return new SeatRequest(chosen, lines.Where(l => seated.Contains(l.CategoryId)).ToList(), lines.Where(l => !seated.Contains(l.CategoryId)).ToList());
    }

    /// <summary>
    /// Holds <paramref name="request"/> for <paramref name="order"/> (its lines are replaced by one line per seat plus
    /// the general-admission lines). Throws <c>409 seat_taken</c> with the lost seats, or answers as <see cref="HoldCommitter"/> does.
    /// </summary>
    public async Task<HoldOutcome> HoldAsync(Order order, AccountCaps caps, SeatRequest request, CancellationToken ct = default, Guid? subject = null)
    {
        var templates = order.Items.ToDictionary(i => i.CategoryId);
        IReadOnlyList<Guid> lost = [];
        for (var attempt = 1; ; attempt++)
        {
            var seats = new List<PerformanceSeat>(request.Chosen);
            var picked = new List<Guid>();
            var done = false;
            try
            {
                foreach (var line in request.Best)
                {
                    var exclude = seats.Select(s => s.Id).ToHashSet();
                    // The first pick from the maps' snapshot; after losing seats, from a fresh read. Before answering that
                    // nothing is left: a fresh read that also looks at the seats other pickers kept aside (as the database sees it).
                    var chosen = await picker.PickAsync(order.PerformanceId, line.CategoryId, line.Quantity, exclude, fresh: attempt > 1, ct)
                                 ?? await picker.PickAsync(order.PerformanceId, line.CategoryId, line.Quantity, exclude, fresh: true, ct, evenAside: true);
                    if (chosen is null)
                    {
                        var open = await OpenSeatsAsync(order.PerformanceId, line.CategoryId, ct);
                        if (open == 0) return new HoldOutcome(false, line.CategoryId, 0);
                        throw new DomainException(ErrorCodes.InsufficientAvailability, localizer["Error.insufficient_availability"],
                            new Dictionary<string, object?> { ["available"] = open, ["categoryId"] = line.CategoryId, ["contiguous"] = false });
                    }
                    picked.AddRange(chosen.Select(s => s.Id));
                    seats.AddRange(chosen.Select(s => new PerformanceSeat
                    {
                        Id = s.Id, PerformanceId = order.PerformanceId, CategoryId = s.CategoryId, Section = s.Section, Row = s.Row, Label = s.Label,
                    }));
                }
                order.Items = request.General.Select(g => Line(templates[g.CategoryId], g.Quantity, null))
                    .Concat(seats.Select(s => Line(templates[s.CategoryId!.Value], 1, s))).ToList();

                var (outcome, taken) = await TryHoldAsync(new HoldRequest(order, caps, subject), seats.Select(s => s.Id).ToList(), ct);
                if (taken is null)
                {
                    // Held: the picked seats stay aside until the snapshots show them held. Refused for another reason: given back.
                    done = outcome.Held;
                    return outcome;
                }
                lost = taken;
                picker.Taken(order.PerformanceId, lost);
            }
            finally
            {
                if (!done) picker.Release(order.PerformanceId, picked.Except(lost));
            }
            // Chosen seats lost are lost; seats picked for the buyer are picked again (a few times).
            if (lost.Any(id => request.Chosen.Any(c => c.Id == id)) || request.Best.Count == 0 || attempt >= BestAvailableAttempts)
                throw SeatTaken(lost);
            logger.LogInformation("Best available for order {OrderId} lost {Count} seat(s), picking again (attempt {Attempt})", order.Id, lost.Count, attempt);
        }
    }

    /// <summary>The one transaction. Answers the outcome, or (null outcome) the seats that were not there.</summary>
    private async Task<(HoldOutcome Outcome, IReadOnlyList<Guid>? Lost)> TryHoldAsync(HoldRequest hold, List<Guid> seatIds, CancellationToken ct)
    {
        for (var deadlocks = 0; ; deadlocks++)
        {
            try
            {
                return await TryHoldOnceAsync(hold, seatIds, ct);
            }
            catch (Exception ex) when (deadlocks < 3 && IsDeadlock(ex))
            {
                // PostgreSQL chose this transaction as a deadlock victim (rows of two overlapping holds met in different
                // orders): nothing was written; try again.
                logger.LogInformation("Seat hold of order {OrderId} retried after a deadlock", hold.Order.Id);
            }
        }
    }

    private async Task<(HoldOutcome Outcome, IReadOnlyList<Guid>? Lost)> TryHoldOnceAsync(HoldRequest hold, List<Guid> seatIds, CancellationToken ct)
    {
        var order = hold.Order;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Orders.Add(order);
        await db.SaveChangesAsync(ct);
        var usage = await HoldCommitter.GuardAccountsAsync(db, [hold]);
        if (usage.RunningHold(hold) is { } running) return (HoldOutcome.AlreadyHolding(running), null);
        if (!usage.Allows(hold)) return (HoldOutcome.OverAccountLimit, null);

        if (seatIds.Count > 0)
        {
            var taken = await inventory.TakeSeatsAsync(db, order.PerformanceId, order.Id, seatIds, ct);
            if (taken != seatIds.Count)
            {
                var mine = await db.PerformanceSeats.Where(s => s.OrderId == order.Id).Select(s => s.Id).ToListAsync(ct);
                await tx.RollbackAsync(ct);
                return (default, seatIds.Except(mine).ToList());
            }
        }
        var left = new Dictionary<Guid, int>();
        foreach (var (id, n) in SeatInventory.InLockOrder(SeatInventory.Of(order.Items)))
        {
            if (await inventory.TryTakeAsync(db, id, n, ct) is not { } remaining)
            {
                var available = await inventory.LockAsync(db, id, ct);
                await tx.RollbackAsync(ct);
                return (new HoldOutcome(false, id, Math.Max(0, available)), null);
            }
            left[id] = remaining;
        }
        await tx.CommitAsync(ct);
        foreach (var (id, remaining) in left) inventory.Remember(id, remaining);
        return (HoldOutcome.Taken, null);
    }

    private async Task<int> OpenSeatsAsync(Guid performanceId, Guid categoryId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.PerformanceSeats.CountAsync(s => s.PerformanceId == performanceId && s.CategoryId == categoryId && s.Status == SeatStatus.Available, ct);
    }

    private static OrderItem Line(OrderItem template, int quantity, PerformanceSeat? seat) => new()
    {
        Id = Guid.CreateVersion7(), OrderId = template.OrderId, CategoryId = template.CategoryId, CategoryName = template.CategoryName, Quantity = quantity,
        UnitPriceMinor = template.UnitPriceMinor, UnitFeeMinor = template.UnitFeeMinor, VatRateBasisPoints = template.VatRateBasisPoints,
        SeatId = seat?.Id, SeatSection = seat?.Section, SeatRow = seat?.Row, SeatLabel = seat?.Label,
    };

    private DomainException SeatTaken(IReadOnlyList<Guid> lost) =>
        new(ErrorCodes.SeatTaken, localizer["Error.seat_taken"], new Dictionary<string, object?> { ["seats"] = lost });

    private static bool IsDeadlock(Exception ex) =>
        (ex as PostgresException ?? ex.InnerException as PostgresException)?.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;
}
