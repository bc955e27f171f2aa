using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Ticketing.Core.Common;
using Ticketing.Core.Notifications;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Receipts;

/// <summary>
/// Receipt and credit note PDFs, for <c>GET /api/orders/{id}/receipt</c>, the order pages and the confirmation mail.
/// Access: the buyer, the event's owner, an Admin; anyone else gets "not found" (orders are private).
/// </summary>
public sealed class ReceiptDocuments(
    IDbContextFactory<TicketingDbContext> dbFactory,
    ReceiptPdfRenderer renderer,
    IStringLocalizer<SharedResource> localizer)
{
    /// <summary>The order's receipt, or one of its credit notes when <paramref name="number"/> names it.</summary>
    public async Task<PdfFile> ForOrderAsync(Guid orderId, Actor actor, CultureInfo culture, string? number = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var snapshot = await OrderSnapshot.LoadAsync(db, orderId, ct);
        if (snapshot is null || (!actor.IsAdmin && snapshot.Order.UserId != actor.UserId && snapshot.Event.OwnerId != actor.UserId))
            throw new NotFoundException(localizer["Error.not_found"]);
        var query = db.Receipts.AsNoTracking().Where(r => r.OrderId == orderId);
        query = number is null ? query.Where(r => r.Kind == ReceiptKind.Receipt) : query.Where(r => r.Number == number);
        var receipt = await query.FirstOrDefaultAsync(ct) ?? throw new NotFoundException(localizer["Error.not_found"]);
        var pdf = await RenderAsync(db, receipt, snapshot, culture, ct);
        return new PdfFile(pdf, $"{receipt.Number}.pdf");
    }

    /// <summary>The receipt of a paid order (null when it has none), for the confirmation mail.</summary>
    public async Task<PdfFile?> ReceiptOfAsync(OrderSnapshot snapshot, CultureInfo culture, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var receipt = await db.Receipts.AsNoTracking()
            .FirstOrDefaultAsync(r => r.OrderId == snapshot.Order.Id && r.Kind == ReceiptKind.Receipt, ct);
        if (receipt is null) return null;
        return new PdfFile(await RenderAsync(db, receipt, snapshot, culture, ct), $"{receipt.Number}.pdf");
    }

    private async Task<byte[]> RenderAsync(TicketingDbContext db, Receipt receipt, OrderSnapshot s, CultureInfo culture, CancellationToken ct)
    {
        var seller = await db.Users.AsNoTracking().Where(u => u.Id == receipt.OrganizerId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "";
        var model = CultureScope.Run(culture, () => Model(receipt, s, seller, culture));
        return renderer.Render(model);
    }

    private ReceiptPdfModel Model(Receipt r, OrderSnapshot s, string seller, CultureInfo culture)
    {
        string M(long minor) => Money.Format(minor, r.Currency, culture);
        var isCredit = r.Kind == ReceiptKind.CreditNote;
        var details = new List<(string, string)>
        {
            (localizer["Receipts.IssuedAt"], VenueTime.Long(r.IssuedAt, s.Performance.TimeZoneId, culture)),
            (localizer["Receipts.Order"], s.Reference),
            (localizer["Receipts.Seller"], seller),
            (localizer["Receipts.Buyer"], r.BuyerName),
            (localizer["Receipts.Event"], s.Event.Title),
            (localizer["Receipts.Performance"], VenueTime.Long(s.Performance.StartsAt, s.Performance.TimeZoneId, culture)),
            (localizer["Receipts.Method"], MethodText(r.Method)),
            (localizer["Receipts.Venue"], $"{s.Performance.VenueName}, {s.Performance.City}"),
        };
        if (r.CorrectsNumber is { } corrected) details.Add((localizer["Receipts.Corrects"], corrected));

        var lines = new List<ReceiptPdfLine>();
        if (!isCredit)
        {
            foreach (var item in s.Order.Items.OrderBy(i => i.CategoryName))
            {
                lines.Add(new ReceiptPdfLine($"{item.CategoryName} ({localizer["Receipts.VatRateShort", VatRates.ToPercent(item.VatRateBasisPoints).ToString("0.##", culture)]})",
                    item.Quantity.ToString(culture), M(item.UnitPriceMinor), M(item.UnitPriceMinor * item.Quantity)));
                if (item.UnitDiscountMinor > 0)
                    lines.Add(new ReceiptPdfLine(localizer["Receipts.PromoDiscount", s.Order.PromoCode ?? "", item.CategoryName], item.Quantity.ToString(culture),
                        M(-item.UnitDiscountMinor), M(-item.UnitDiscountMinor * item.Quantity)));
                if (item.UnitFeeMinor > 0)
                    lines.Add(new ReceiptPdfLine($"{localizer["Receipts.BookingFee"]} — {item.CategoryName}", item.Quantity.ToString(culture),
                        M(item.UnitFeeMinor), M(item.UnitFeeMinor * item.Quantity)));
            }
        }
        else
        {
            lines.Add(new ReceiptPdfLine(localizer["Receipts.RefundLine", r.CorrectsNumber ?? s.Reference], "1", M(r.TotalMinor), M(r.TotalMinor)));
        }

        var vatRows = r.VatLines().Select(v => (IReadOnlyList<string>)
        [
            $"{VatRates.ToPercent(v.RateBasisPoints).ToString("0.##", culture)} %", M(v.BaseMinor), M(v.VatMinor), M(v.GrossMinor),
        ]).ToList();
        return new ReceiptPdfModel(
            isCredit ? localizer["Receipts.CreditNote"] : localizer["Receipts.Receipt"], r.Number, details,
            [localizer["Receipts.Description"], localizer["Receipts.Quantity"], localizer["Receipts.UnitPrice"], localizer["Receipts.Amount"]],
            lines, isCredit ? localizer["Receipts.TotalRefunded"] : localizer["Receipts.TotalPaid"], M(r.TotalMinor),
            localizer["Receipts.VatBreakdown"],
            [localizer["Receipts.VatRate"], localizer["Receipts.VatBase"], localizer["Receipts.VatAmount"], localizer["Receipts.VatGross"]],
            vatRows, localizer["Receipts.Footer"]);
    }

    private string MethodText(string method) => method switch
    {
        "Cash" or "CardTerminal" or "BankTransfer" => localizer[$"BoxOffice.Method.{method}"],
        _ => localizer["Receipts.MethodOnline"],
    };
}
