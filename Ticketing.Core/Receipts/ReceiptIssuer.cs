using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Receipts;

/// <summary>What one receipt or credit note records: the order, the amount with its VAT lines, and how the money moved.</summary>
public sealed record ReceiptRequest(Order Order, long TotalMinor, IReadOnlyList<VatLine> Vat, string Method, string BuyerName, string? CorrectsNumber = null);

/// <summary>
/// Numbers receipts and credit notes. Called INSIDE the transaction that moves the money (the sale, the refund): one
/// upsert of the organizer's counter row per organizer (<c>INSERT … ON CONFLICT DO UPDATE … RETURNING</c>, the same
/// statement on SQLite and PostgreSQL) takes a block of numbers, and the receipts are added to the same DbContext. The
/// counter row stays locked until the commit, so concurrent sales of one organizer get consecutive numbers, and a
/// rolled-back sale gives its numbers back: the sequence per organizer, year and kind has no gap and no duplicate.
/// Lock order: the caller's rows first, then the counters by organizer id and year (ascending). The year is the
/// performance's local year at the moment of issue.
/// </summary>
public static class ReceiptIssuer
{
    public static async Task<IReadOnlyList<Receipt>> IssueAsync(TicketingDbContext db, ReceiptKind kind, IReadOnlyList<ReceiptRequest> requests,
        DateTimeOffset now, CancellationToken ct = default)
    {
        if (requests.Count == 0) return [];
        // The organizer, and the year as the performance's time zone sees it (a payment at 23:30 UTC on December 31 in
        // Paris belongs to the next year).
        var performanceIds = requests.Select(r => r.Order.PerformanceId).Distinct().ToList();
        var performances = await db.Performances.AsNoTracking().Where(p => performanceIds.Contains(p.Id))
            .Select(p => new { p.Id, p.TimeZoneId, p.Event!.OwnerId }).ToDictionaryAsync(p => p.Id, ct);
        var kindText = kind.ToString();
        var receipts = new Receipt[requests.Count];
        foreach (var organizer in Enumerable.Range(0, requests.Count)
                     .GroupBy(i => (performances[requests[i].Order.PerformanceId].OwnerId, Year: YearOf(now, performances[requests[i].Order.PerformanceId].TimeZoneId)))
                     .OrderBy(g => g.Key.OwnerId).ThenBy(g => g.Key.Year))
        {
            var (organizerId, year) = organizer.Key;
            var count = organizer.Count();
            var last = (await db.Database.SqlQuery<int>($"""
                    INSERT INTO "ReceiptCounters" ("OrganizerId", "Year", "Kind", "Last") VALUES ({organizerId}, {year}, {kindText}, {count})
                    ON CONFLICT ("OrganizerId", "Year", "Kind") DO UPDATE SET "Last" = "ReceiptCounters"."Last" + {count}
                    RETURNING "Last" AS "Value"
                    """).ToListAsync(ct)).Single();
            var sequence = last - count;
            foreach (var index in organizer)
            {
                var request = requests[index];
                sequence++;
                var receipt = new Receipt
                {
                    Id = Guid.CreateVersion7(), Kind = kind, OrganizerId = organizerId, Year = year, Sequence = sequence,
                    Number = Receipt.Format(kind, year, sequence), OrderId = request.Order.Id, EventId = request.Order.EventId,
                    IssuedAt = now, TotalMinor = request.TotalMinor, VatMinor = request.Vat.Sum(v => v.VatMinor),
                    Currency = request.Order.Currency, VatBreakdown = Receipt.FormatBreakdown(request.Vat),
                    BuyerName = Cut(request.BuyerName, 200), Method = Cut(request.Method, 32),
                    CorrectsNumber = request.CorrectsNumber,
                };
                db.Receipts.Add(receipt);
                receipts[index] = receipt;
            }
        }
        return receipts;
    }

    /// <summary>The calendar year of <paramref name="now"/> in the performance's time zone (UTC when unknown).</summary>
    public static int YearOf(DateTimeOffset now, string? timeZoneId) => Notifications.VenueTime.ToVenueTime(now, timeZoneId).Year;

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];

    /// <summary>The receipts of paid orders (the whole order, as placed).</summary>
    public static Task<IReadOnlyList<Receipt>> IssueForSalesAsync(TicketingDbContext db, IReadOnlyList<(Order Order, string Method, string BuyerName)> sales,
        int feeBasisPoints, DateTimeOffset now, CancellationToken ct = default) =>
        IssueAsync(db, ReceiptKind.Receipt,
            sales.Select(s => new ReceiptRequest(s.Order, s.Order.TotalMinor, VatBreakdown.OfItems(s.Order.Items, feeBasisPoints), s.Method, s.BuyerName)).ToList(),
            now, ct);
}
