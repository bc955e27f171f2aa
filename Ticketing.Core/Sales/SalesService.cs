using System.Globalization;
using System.Text;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Sales;

/// <summary>Sales figures, attendees and their CSV export for an event's owner or an Admin.</summary>
public sealed class SalesService(IDbContextFactory<TicketingDbContext> dbFactory)
{
    public async Task<EventSales> GetSalesAsync(Guid eventId, Actor actor, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ev = await EventAccess.GetManageableAsync(db, eventId, actor, ct);
        var performances = await db.Performances.AsNoTracking().Where(p => p.EventId == eventId)
            .Include(p => p.Categories).OrderBy(p => p.StartsAt).ToListAsync(ct);

        // Revenue and the daily curve come from the tickets that still count (valid or used); voided ones were refunded.
        var tickets = await db.Tickets.AsNoTracking().Where(t => t.EventId == eventId)
            .Select(t => new { t.CategoryId, t.PerformanceId, t.PriceMinor, t.Status, t.IssuedAt }).ToListAsync(ct);
        var counting = tickets.Where(t => t.Status != TicketStatus.Voided).ToList();
        var revenueByCategory = counting.GroupBy(t => t.CategoryId).ToDictionary(g => g.Key, g => g.Sum(t => t.PriceMinor));
        var checkedIn = tickets.Where(t => t.Status == TicketStatus.Used).GroupBy(t => t.PerformanceId).ToDictionary(g => g.Key, g => g.Count());

        var perf = performances.Select(p =>
        {
            var cats = p.Categories.OrderBy(c => c.SortOrder).ThenBy(c => c.Name).Select(c => new CategorySales(c.Id, c.Name, c.PriceMinor, c.Currency,
                c.Capacity, c.Sold, c.Held, c.Available, revenueByCategory.GetValueOrDefault(c.Id))).ToList();
            return new PerformanceSales(p.Id, p.StartsAt, p.VenueName, p.City, p.TimeZoneId, cats.Sum(c => c.Capacity), cats.Sum(c => c.Sold),
                cats.Sum(c => c.Held), cats.Sum(c => c.Available), cats.Sum(c => c.RevenueMinor), checkedIn.GetValueOrDefault(p.Id), cats);
        }).ToList();

        var daily = counting.GroupBy(t => DateOnly.FromDateTime(t.IssuedAt.UtcDateTime))
            .OrderBy(g => g.Key).Select(g => new SalesDay(g.Key, g.Count(), g.Sum(t => t.PriceMinor))).ToList();
        var paid = await db.Orders.CountAsync(o => o.EventId == eventId && o.Status == OrderStatus.Paid, ct);
        // Comps are paid orders of zero issued by the organizer: counted under `comps`, not as buyers' orders.
        var paidByBuyers = paid - await db.Comps.CountAsync(c => c.EventId == eventId
            && db.Orders.Any(o => o.Id == c.OrderId && o.Status == OrderStatus.Paid), ct);
        var refunded = await db.Orders.CountAsync(o => o.EventId == eventId && o.Status == OrderStatus.Refunded, ct);
        CancellationProgress? cancellation = null;
        if (ev.Status == EventStatus.Cancelled && ev.CancelledAt is { } at)
        {
            // Only the refunds of the cancellation itself: orders refunded by hand before it are not part of its progress.
            var refundedSince = await db.Orders.CountAsync(o => o.EventId == eventId && o.Status == OrderStatus.Refunded && o.ClosedAt >= at, ct);
            // Partially refunded orders get the rest of their money back too.
            var pending = paid + await db.Orders.CountAsync(o => o.EventId == eventId && o.Status == OrderStatus.PartiallyRefunded, ct);
            cancellation = new CancellationProgress(at, pending + refundedSince, refundedSince, pending == 0);
        }
        var currency = performances.SelectMany(p => p.Categories).Select(c => c.Currency).FirstOrDefault() ?? "EUR";
        return new EventSales(ev.Id, ev.Title, ev.Status.ToString(), currency, perf.Sum(p => p.Capacity), perf.Sum(p => p.Sold),
            perf.Sum(p => p.Held), perf.Sum(p => p.Available), perf.Sum(p => p.RevenueMinor), paidByBuyers, refunded, perf, daily, cancellation,
            await BoxOffice.BoxOfficeService.SummaryAsync(db, eventId, ct),
            await Comps.CompService.SummaryAsync(db, eventId, ct));
    }

    public async Task<IReadOnlyList<Attendee>> GetAttendeesAsync(Guid eventId, Actor actor, Guid? performanceId = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await EventAccess.GetManageableAsync(db, eventId, actor, ct);
        var query = from t in db.Tickets.AsNoTracking()
                    join p in db.Performances on t.PerformanceId equals p.Id
                    join u in db.Users on t.UserId equals u.Id into users
                    from u in users.DefaultIfEmpty()
                    where t.EventId == eventId && (performanceId == null || t.PerformanceId == performanceId)
                    select new { t, p.StartsAt, p.City, Email = u != null ? u.Email : null };
        var rows = await query.ToListAsync(ct);
        return rows.OrderBy(r => r.StartsAt).ThenBy(r => r.t.Number, StringComparer.Ordinal)
            .Select(r => new Attendee(r.t.Number, r.t.HolderName, r.Email ?? "", r.t.CategoryName, r.StartsAt, r.City, r.t.Status.ToString(),
                r.t.IssuedAt, r.t.UsedAt, r.t.PriceMinor, r.t.Currency, r.t.OrderId)).ToList();
    }

    /// <summary>RFC 4180 CSV, UTF-8 with a BOM so that Excel opens accents correctly.</summary>
    public static byte[] ToCsv(IReadOnlyList<Attendee> attendees)
    {
        using var stream = new MemoryStream();
        // Formula-looking text (=, +, -, @) is escaped: a holder name must never run as a spreadsheet formula.
        using (var csv = CsvWriter.Create(stream, new CsvWriterOptions { WriteByteOrderMark = true, Injection = CsvInjection.Escape }, true))
        {
            foreach (var h in new[] { "ticket", "holder", "email", "category", "startsAtUtc", "city", "status", "issuedAtUtc", "usedAtUtc", "price", "currency", "order" })
                csv.WriteField(h);
            csv.EndRecord();
            foreach (var a in attendees)
            {
                csv.WriteField(a.TicketNumber);
                csv.WriteField(a.HolderName);
                csv.WriteField(a.BuyerEmail);
                csv.WriteField(a.CategoryName);
                csv.WriteField(a.StartsAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
                csv.WriteField(a.City);
                csv.WriteField(a.Status);
                csv.WriteField(a.IssuedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                csv.WriteField(a.UsedAt?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "");
                csv.WriteField(Money.ToDecimal(a.PriceMinor).ToString("0.00", CultureInfo.InvariantCulture));
                csv.WriteField(a.Currency);
                csv.WriteField(a.OrderId.ToString());
                csv.EndRecord();
            }
            csv.Flush();
        }
        return stream.ToArray();
    }
}
