using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Notifications;
using Ticketing.Core.Orders;
using Ticketing.Core.Payments;
using Ticketing.Core.Persistence;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Reports;

/// <summary>Sales per channel, day and category; check-in per gate; order exports; the season across an organizer's events.</summary>
public sealed class ReportService(IDbContextFactory<TicketingDbContext> dbFactory)
{
    private static readonly string[] DeskMethods = Enum.GetNames<BoxOffice.BoxOfficeMethod>();

    public async Task<SalesReport> SalesAsync(Guid eventId, Actor actor, Guid? performanceId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await EventAccess.GetManageableAsync(db, eventId, actor, ct);
        var channels = await ChannelsAsync(db, eventId, ct);
        var tickets = await (from t in db.Tickets.AsNoTracking()
                             join o in db.Orders on t.OrderId equals o.Id
                             where t.EventId == eventId && t.Status != TicketStatus.Voided && (performanceId == null || t.PerformanceId == performanceId)
                             select new { t.OrderId, t.CategoryId, t.CategoryName, t.PriceMinor, t.Currency, Paid = o.PaidAt, t.IssuedAt }).ToListAsync(ct);
        var rows = tickets.Select(t => new
        {
            t.OrderId, t.CategoryId, t.CategoryName, t.PriceMinor, t.Currency,
            Day = DateOnly.FromDateTime((t.Paid ?? t.IssuedAt).UtcDateTime), Channel = channels.Of(t.OrderId),
        }).ToList();
        var totals = Enum.GetValues<SalesChannel>().Select(c =>
        {
            var of = rows.Where(r => r.Channel == c).ToList();
            return new ChannelTotal(c, of.Select(r => r.OrderId).Distinct().Count(), of.Count, of.Sum(r => r.PriceMinor));
        }).ToList();
        var days = rows.GroupBy(r => (r.Day, r.Channel)).OrderBy(g => g.Key.Day).ThenBy(g => g.Key.Channel)
            .Select(g => new ChannelDay(g.Key.Day, g.Key.Channel, g.Count(), g.Sum(r => r.PriceMinor))).ToList();
        var categories = rows.GroupBy(r => (r.CategoryId, r.CategoryName, r.Channel)).OrderBy(g => g.Key.CategoryName, StringComparer.Ordinal).ThenBy(g => g.Key.Channel)
            .Select(g => new ChannelCategory(g.Key.CategoryId, g.Key.CategoryName, g.Key.Channel, g.Count(), g.Sum(r => r.PriceMinor))).ToList();
        var currency = tickets.Select(t => t.Currency).FirstOrDefault()
                       ?? await db.PriceCategories.Where(c => c.Performance!.EventId == eventId).Select(c => c.Currency).FirstOrDefaultAsync(ct) ?? "EUR";
        return new SalesReport(eventId, performanceId, currency, rows.Count, rows.Sum(r => r.PriceMinor), totals, days, categories);
    }

    public async Task<IReadOnlyList<CheckInProgress>> CheckInAsync(Guid eventId, Actor actor, Guid? performanceId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await EventAccess.GetManageableAsync(db, eventId, actor, ct);
        var performances = await db.Performances.AsNoTracking().Where(p => p.EventId == eventId && (performanceId == null || p.Id == performanceId))
            .OrderBy(p => p.StartsAt).Select(p => new { p.Id, p.StartsAt }).ToListAsync(ct);
        var tickets = await db.Tickets.AsNoTracking().Where(t => t.EventId == eventId && t.Status != TicketStatus.Voided)
            .Select(t => new { t.PerformanceId, t.Status, t.AdmittedByDeviceId, t.UsedAt }).ToListAsync(ct);
        var devices = await db.DoorDevices.AsNoTracking().Where(d => d.EventId == eventId).ToListAsync(ct);
        var gateOf = devices.ToDictionary(d => d.Id, d => string.IsNullOrWhiteSpace(d.Gate) ? null : d.Gate.Trim());
        return performances.Select(p =>
        {
            var of = tickets.Where(t => t.PerformanceId == p.Id).ToList();
            var used = of.Where(t => t.Status == TicketStatus.Used).ToList();
            var gates = used.GroupBy(t => t.AdmittedByDeviceId is { } d ? gateOf.GetValueOrDefault(d) : null)
                .Select(g => new GateCheckIn(g.Key, g.Count(), g.Max(t => t.UsedAt))).ToList();
            // Gates of devices that admitted nobody yet are shown too (a gate at 0 during the show is news).
            foreach (var d in devices.Where(d => d.RevokedAt == null && (d.PerformanceIds.Length == 0 || d.Performances.Contains(p.Id))))
                if (gateOf[d.Id] is { } gate && gates.All(g => g.Gate != gate)) gates.Add(new GateCheckIn(gate, 0, null));
            return new CheckInProgress(p.Id, p.StartsAt, of.Count, used.Count,
                gates.OrderBy(g => g.Gate is null).ThenBy(g => g.Gate, StringComparer.CurrentCulture).ToList());
        }).ToList();
    }

    /// <summary>The events of one organizer (an Admin may name any owner; an organizer sees their own), with totals.</summary>
    public async Task<SeasonReport> SeasonAsync(Actor actor, Guid? ownerId = null, DateTimeOffset? from = null, DateTimeOffset? to = null, CancellationToken ct = default)
    {
        var owner = actor.IsAdmin && ownerId is { } o ? o : actor.UserId;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var events = await db.Events.AsNoTracking().Where(e => e.OwnerId == owner).Include(e => e.Performances).ThenInclude(p => p.Categories).ToListAsync(ct);
        events = events.Where(e => e.Performances.Count == 0
                                   || ((from is null || e.Performances.Max(p => p.StartsAt) >= from) && (to is null || e.Performances.Min(p => p.StartsAt) < to)))
            .ToList();
        var ids = events.Select(e => e.Id).ToList();
        var tickets = await db.Tickets.AsNoTracking().Where(t => ids.Contains(t.EventId) && t.Status != TicketStatus.Voided)
            .Select(t => new { t.EventId, t.OrderId, t.PriceMinor, t.Status }).ToListAsync(ct);
        var comps = (await db.Comps.AsNoTracking().Where(c => ids.Contains(c.EventId)).Select(c => c.OrderId).ToListAsync(ct)).ToHashSet();
        var items = events.Select(e =>
        {
            var of = tickets.Where(t => t.EventId == e.Id).ToList();
            var categories = e.Performances.SelectMany(p => p.Categories).ToList();
            return new SeasonEvent(e.Id, e.Title, e.Status.ToString(), e.Performances.Count == 0 ? null : e.Performances.Min(p => p.StartsAt),
                e.Performances.Count == 0 ? null : e.Performances.Max(p => p.StartsAt), categories.Select(c => c.Currency).FirstOrDefault() ?? "EUR",
                categories.Sum(c => c.Capacity), of.Count(t => !comps.Contains(t.OrderId)), of.Count(t => comps.Contains(t.OrderId)),
                of.Count(t => t.Status == TicketStatus.Used), of.Sum(t => t.PriceMinor));
        }).OrderBy(e => e.FirstDate ?? DateTimeOffset.MaxValue).ThenBy(e => e.Title, StringComparer.CurrentCulture).ToList();
        return new SeasonReport(owner, items.Count, items.Sum(i => i.Tickets), items.Sum(i => i.Comps), items.Sum(i => i.CheckedIn),
            items.GroupBy(i => i.Currency).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new CurrencyTotal(g.Key, g.Sum(i => i.RevenueMinor))).ToList(),
            items);
    }

    /// <summary>Every order of the event that was paid (refunded ones included, with their status), for the order export.</summary>
    public async Task<IReadOnlyList<OrderExportRow>> OrdersAsync(Guid eventId, Actor actor, Guid? performanceId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await EventAccess.GetManageableAsync(db, eventId, actor, ct);
        var channels = await ChannelsAsync(db, eventId, ct);
        var orders = await (from o in db.Orders.AsNoTracking()
                            join p in db.Performances on o.PerformanceId equals p.Id
                            join u in db.Users on o.UserId equals u.Id into us
                            from u in us.DefaultIfEmpty()
                            where o.EventId == eventId && o.PaidAt != null && (performanceId == null || o.PerformanceId == performanceId)
                            select new { o.Id, o.Status, o.BuyerName, Email = u != null ? u.Email : null, p.StartsAt, o.CreatedAt, o.PaidAt, o.TotalMinor, o.Currency })
            .ToListAsync(ct);
        // Buyers without an account: the address their confirmation went to.
        var mailed = (await db.Notifications.AsNoTracking()
                .Where(n => n.Kind == NotificationKind.OrderConfirmed && n.Channel == Accounts.NotificationChannel.Email
                            && db.Orders.Any(o => o.Id == n.OrderId && o.EventId == eventId))
                .Select(n => new { n.OrderId, n.Recipient }).ToListAsync(ct))
            .GroupBy(n => n.OrderId).ToDictionary(g => g.Key, g => g.First().Recipient);
        var counts = (await db.Tickets.AsNoTracking().Where(t => t.EventId == eventId && t.Status != TicketStatus.Voided)
                .GroupBy(t => t.OrderId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            .ToDictionary(x => x.Key, x => x.Count);
        return orders.OrderBy(o => o.PaidAt).ThenBy(o => o.Id).Select(o => new OrderExportRow(o.Id, Notifications.OrderReference.For(o.Id), o.Status.ToString(),
            channels.Of(o.Id), o.BuyerName, o.Email ?? mailed.GetValueOrDefault(o.Id) ?? "", o.StartsAt, o.CreatedAt, o.PaidAt, counts.GetValueOrDefault(o.Id),
            o.TotalMinor, o.Currency)).ToList();
    }

    private sealed record Channels(HashSet<Guid> Comps, HashSet<Guid> Desk, HashSet<Guid> Resale)
    {
        public SalesChannel Of(Guid orderId) =>
            Comps.Contains(orderId) ? SalesChannel.Comp : Desk.Contains(orderId) ? SalesChannel.BoxOffice
            : Resale.Contains(orderId) ? SalesChannel.Resale : SalesChannel.Online;
    }

    /// <summary>A comp is an order named by a <c>Comp</c>; a desk sale an order paid through one of the box office's methods; a resale an order
    /// that bought a resale listing (<see cref="Order.ResaleListingId"/>); the rest is online.</summary>
    private static async Task<Channels> ChannelsAsync(TicketingDbContext db, Guid eventId, CancellationToken ct)
    {
        var comps = await db.Comps.AsNoTracking().Where(c => c.EventId == eventId).Select(c => c.OrderId).ToListAsync(ct);
        var desk = await (from p in db.Payments.AsNoTracking()
                          join o in db.Orders on p.OrderId equals o.Id
                          where o.EventId == eventId && DeskMethods.Contains(p.Provider)
                                && (p.Status == PaymentStatus.Approved || p.Status == PaymentStatus.Refunded)
                          select p.OrderId).ToListAsync(ct);
        var resale = await db.Orders.AsNoTracking().Where(o => o.EventId == eventId && o.ResaleListingId != null).Select(o => o.Id).ToListAsync(ct);
        return new Channels(comps.ToHashSet(), desk.ToHashSet(), resale.ToHashSet());
    }
}
