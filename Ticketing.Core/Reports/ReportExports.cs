using System.Globalization;
using ClosedXML.Excel;
using CsvHelper;
using Ticketing.Core.Common;
using Ticketing.Core.Sales;

namespace Ticketing.Core.Reports;

/// <summary>
/// Attendee and order lists as CSV (UTF-8 with a BOM; a cell starting with <c>= + - @</c>, a tab or a carriage return is
/// escaped so that a spreadsheet never runs a name as a formula) and as XLSX (ClosedXML; every text is a text cell, never
/// a formula).
/// </summary>
public static class ReportExports
{
    private static readonly string[] OrderHeaders =
        ["order", "reference", "status", "channel", "buyer", "email", "startsAtUtc", "createdAtUtc", "paidAtUtc", "tickets", "total", "currency"];

    private static readonly string[] AttendeeHeaders =
        ["ticket", "holder", "email", "category", "startsAtUtc", "city", "status", "issuedAtUtc", "usedAtUtc", "price", "currency", "order"];

    public static byte[] OrdersCsv(IReadOnlyList<OrderExportRow> rows)
    {
        using var stream = new MemoryStream();
        using (var csv = CsvWriter.Create(stream, new CsvWriterOptions { WriteByteOrderMark = true, Injection = CsvInjection.Escape }, true))
        {
            foreach (var h in OrderHeaders) csv.WriteField(h);
            csv.EndRecord();
            foreach (var r in rows)
            {
                foreach (var value in OrderCells(r)) csv.WriteField(value switch
                {
                    DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                    decimal m => m.ToString("0.00", CultureInfo.InvariantCulture),
                    int i => i.ToString(CultureInfo.InvariantCulture),
                    null => "",
                    _ => value.ToString() ?? "",
                });
                csv.EndRecord();
            }
            csv.Flush();
        }
        return stream.ToArray();
    }

    public static byte[] OrdersXlsx(IReadOnlyList<OrderExportRow> rows) =>
        Xlsx("Orders", OrderHeaders, rows.Select(OrderCells));

    public static byte[] AttendeesXlsx(IReadOnlyList<Attendee> rows) =>
        Xlsx("Attendees", AttendeeHeaders, rows.Select(a => new object?[]
        {
            a.TicketNumber, a.HolderName, a.BuyerEmail, a.CategoryName, a.StartsAt.UtcDateTime, a.City, a.Status, a.IssuedAt.UtcDateTime,
            a.UsedAt?.UtcDateTime, Money.ToDecimal(a.PriceMinor), a.Currency, a.OrderId.ToString(),
        }));

    private static object?[] OrderCells(OrderExportRow r) =>
    [
        r.OrderId.ToString(), r.Reference, r.Status, r.Channel.ToString(), r.BuyerName, r.BuyerEmail, r.StartsAt.UtcDateTime, r.CreatedAt.UtcDateTime,
        r.PaidAt?.UtcDateTime, r.Tickets, Money.ToDecimal(r.TotalMinor), r.Currency,
    ];

    private static byte[] Xlsx(string sheet, string[] headers, IEnumerable<object?[]> rows)
    {
        using var workbook = new XLWorkbook();
        var ws = workbook.Worksheets.Add(sheet);
        for (var c = 0; c < headers.Length; c++)
        {
            ws.Cell(1, c + 1).SetValue(headers[c]);
            ws.Cell(1, c + 1).Style.Font.Bold = true;
        }
        var row = 2;
        foreach (var values in rows)
        {
            for (var c = 0; c < values.Length; c++)
            {
                var cell = ws.Cell(row, c + 1);
                switch (values[c])
                {
                    case null: break;
                    case DateTime d: cell.SetValue(d); cell.Style.DateFormat.Format = "yyyy-mm-dd hh:mm:ss"; break;
                    case decimal m: cell.SetValue(m); cell.Style.NumberFormat.Format = "0.00"; break;
                    case int i: cell.SetValue(i); break;
                    // Text stays text: SetValue of a string never makes a formula, and the type is pinned.
                    case var v: cell.SetValue(v.ToString() ?? ""); cell.DataType = XLDataType.Text; break;
                }
            }
            row++;
        }
        ws.SheetView.FreezeRows(1);
        using var stream = new MemoryStream();
        workbook.SaveAs(stream);
        return stream.ToArray();
    }
}
