using System.Globalization;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Ticketing.Core.Common;
using Ticketing.Core.Notifications;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Receipts;

/// <summary>
/// The accounting export: an organizer's receipts and credit notes issued in a period (UTC days, both included), in
/// number order, as CSV for a spreadsheet or an accounting package. Credit notes carry negative amounts, so a column's
/// sum is the period's net takings. An Organizer exports its own; an Admin any organizer's (or everyone's).
/// </summary>
public sealed class ReceiptExport(IDbContextFactory<TicketingDbContext> dbFactory, IStringLocalizer<SharedResource> localizer)
{
    public const int MaxDays = 366;

    public async Task<IReadOnlyList<Receipt>> ListAsync(Actor actor, Guid? organizerId, DateOnly from, DateOnly to, CancellationToken ct = default)
    {
        var v = new Validator(localizer);
        v.Require(to >= from, "to", "Validation.PeriodOrder");
        v.Require(to.DayNumber - from.DayNumber < MaxDays, "to", "Validation.PeriodTooLong", MaxDays);
        v.ThrowIfInvalid();
        var owner = actor.IsAdmin ? organizerId : actor.UserId;
        if (!actor.IsAdmin && organizerId is { } other && other != actor.UserId) throw new NotFoundException(localizer["Error.not_found"]);
        var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var query = db.Receipts.AsNoTracking().Where(r => r.IssuedAt >= start && r.IssuedAt < end);
        if (owner is { } id) query = query.Where(r => r.OrganizerId == id);
        return await query.OrderBy(r => r.OrganizerId).ThenBy(r => r.Kind).ThenBy(r => r.Year).ThenBy(r => r.Sequence).ToListAsync(ct);
    }

    /// <summary>
    /// RFC 4180 CSV, UTF-8 with a BOM. The text that people typed (the buyer's name, the method) is escaped when it looks
    /// like a formula (=, +, -, @, tab, CR: CSV injection); the amounts are ours and stay numbers (credit notes are negative).
    /// </summary>
    public static byte[] ToCsv(IReadOnlyList<Receipt> receipts)
    {
        using var stream = new MemoryStream();
        using (var csv = CsvWriter.Create(stream, new CsvWriterOptions { WriteByteOrderMark = true, Injection = CsvInjection.None }, true))
        {
            foreach (var h in new[] { "number", "type", "issuedAtUtc", "order", "organizerId", "buyer", "method", "currency", "net", "vat", "total", "vatBreakdown", "corrects" })
                csv.WriteField(h);
            csv.EndRecord();
            foreach (var r in receipts)
            {
                var sign = r.Kind == ReceiptKind.CreditNote ? -1 : 1;
                csv.WriteField(r.Number);
                csv.WriteField(r.Kind == ReceiptKind.Receipt ? "receipt" : "credit_note");
                csv.WriteField(r.IssuedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
                csv.WriteField(OrderReference.For(r.OrderId));
                csv.WriteField(r.OrganizerId.ToString());
                csv.WriteField(AsText(r.BuyerName));
                csv.WriteField(AsText(r.Method));
                csv.WriteField(r.Currency);
                csv.WriteField(Amount(sign * (r.TotalMinor - r.VatMinor)));
                csv.WriteField(Amount(sign * r.VatMinor));
                csv.WriteField(Amount(sign * r.TotalMinor));
                csv.WriteField(string.Join(" | ", r.VatLines().Select(l =>
                    $"{VatRates.ToPercent(l.RateBasisPoints).ToString("0.##", CultureInfo.InvariantCulture)}%: {Amount(sign * l.BaseMinor)} + {Amount(sign * l.VatMinor)}")));
                csv.WriteField(r.CorrectsNumber ?? "");
                csv.EndRecord();
            }
            csv.Flush();
        }
        return stream.ToArray();
    }

    /// <summary>A leading quote makes a spreadsheet read the cell as text, never as a formula.</summary>
    public static string AsText(string text) =>
        text.Length > 0 && text[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + text : text;

    private static string Amount(long minor) => Money.ToDecimal(minor).ToString("0.00", CultureInfo.InvariantCulture);
}
