using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Receipts;

/// <summary>Renders a receipt or a credit note as a one-page A4 PDF (PDFsharp, the e-tickets' fonts). Stateless.</summary>
public sealed class ReceiptPdfRenderer
{
    private const double Margin = 48;
    private static readonly XColor Dark = XColor.FromArgb(0x1B, 0x1F, 0x2A);
    private static readonly XColor Accent = XColor.FromArgb(0xE8, 0x59, 0x0C);
    private static readonly XColor Ink = XColor.FromArgb(0x21, 0x25, 0x29);
    private static readonly XColor Muted = XColor.FromArgb(0x6C, 0x75, 0x7D);
    private static readonly XColor Rule = XColor.FromArgb(0xDE, 0xE2, 0xE6);
    private static readonly XColor Tint = XColor.FromArgb(0xFF, 0xF4, 0xE6);

    public byte[] Render(ReceiptPdfModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        TicketPdfFontResolver.EnsureRegistered();
        using var document = new PdfDocument();
        document.Info.Title = $"{model.Title} {model.Number}";
        document.Info.Creator = "Ticketing";
        var page = document.AddPage();
        page.Size = PageSize.A4;
        using (var gfx = XGraphics.FromPdfPage(page)) Draw(gfx, page.Width.Point, model);
        using var output = new MemoryStream();
        document.Save(output, false);
        return output.ToArray();
    }

    private static void Draw(XGraphics gfx, double width, ReceiptPdfModel m)
    {
        var brand = TicketPdfFontResolver.CreateFont(15, bold: true);
        var title = TicketPdfFontResolver.CreateFont(22, bold: true);
        var label = TicketPdfFontResolver.CreateFont(8, bold: true);
        var text = TicketPdfFontResolver.CreateFont(10, bold: false);
        var strong = TicketPdfFontResolver.CreateFont(10, bold: true);
        var total = TicketPdfFontResolver.CreateFont(13, bold: true);
        var small = TicketPdfFontResolver.CreateFont(8.5, bold: false);
        var content = width - 2 * Margin;

        gfx.DrawRectangle(new XSolidBrush(Dark), 0, 0, width, 110);
        gfx.DrawRectangle(new XSolidBrush(Accent), 0, 110, width, 5);
        gfx.DrawRoundedRectangle(new XSolidBrush(Accent), Margin, 30, 14, 14, 4, 4);
        Text(gfx, "Ticketing", brand, XColors.White, Margin + 22, 28);
        Text(gfx, Cut(gfx, m.Title, title, content * 0.55), title, XColors.White, Margin, 60);
        var numberWidth = gfx.MeasureString(m.Number, title).Width;
        Text(gfx, m.Number, title, Accent, width - Margin - numberWidth, 60);

        // Details: two columns of label / value.
        var y = 140.0;
        var column = content / 2;
        for (var i = 0; i < m.Details.Count; i++)
        {
            var x = Margin + (i % 2) * column;
            var (l, v) = m.Details[i];
            Text(gfx, l.ToUpperInvariant(), label, Accent, x, y);
            Text(gfx, Cut(gfx, v, strong, column - 12), strong, Ink, x, y + 11);
            if (i % 2 == 1 || i == m.Details.Count - 1) y += 34;
        }

        // Lines.
        y += 8;
        double[] widths = [content * 0.52, content * 0.12, content * 0.18, content * 0.18];
        y = Row(gfx, m.LineHeaders, widths, y, label, Muted, header: true);
        foreach (var line in m.Lines)
            y = Row(gfx, [line.Description, line.Quantity, line.UnitPrice, line.Amount], widths, y, text, Ink, header: false);
        gfx.DrawRectangle(new XSolidBrush(Tint), Margin, y + 4, content, 28);
        Text(gfx, m.TotalLabel, total, Ink, Margin + 8, y + 10);
        var totalWidth = gfx.MeasureString(m.Total, total).Width;
        Text(gfx, m.Total, total, Ink, width - Margin - 8 - totalWidth, y + 10);
        y += 52;

        // VAT breakdown.
        Text(gfx, m.VatTitle, strong, Ink, Margin, y);
        y += 18;
        double[] vatWidths = [content * 0.25, content * 0.25, content * 0.25, content * 0.25];
        y = Row(gfx, m.VatHeaders, vatWidths, y, label, Muted, header: true);
        foreach (var row in m.VatRows) y = Row(gfx, row, vatWidths, y, text, Ink, header: false);

        y += 24;
        foreach (var part in Wrap(gfx, m.Footer, small, content)) { Text(gfx, part, small, Muted, Margin, y); y += 12; }
    }

    /// <summary>A table row: the first column left-aligned, the others right-aligned; a rule below.</summary>
    private static double Row(XGraphics gfx, IReadOnlyList<string> cells, double[] widths, double y, XFont font, XColor color, bool header)
    {
        var x = Margin;
        for (var i = 0; i < cells.Count && i < widths.Length; i++)
        {
            var cell = Cut(gfx, header ? cells[i].ToUpperInvariant() : cells[i], font, widths[i] - 8);
            var w = gfx.MeasureString(cell, font).Width;
            Text(gfx, cell, font, color, i == 0 ? x : x + widths[i] - w, y + 6);
            x += widths[i];
        }
        var bottom = y + (header ? 20 : 24);
        gfx.DrawLine(new XPen(Rule, header ? 1 : 0.5), Margin, bottom, Margin + widths.Sum(), bottom);
        return bottom;
    }

    private static void Text(XGraphics gfx, string text, XFont font, XColor color, double x, double y) =>
        gfx.DrawString(text, font, new XSolidBrush(color), new XRect(x, y, 10_000, font.GetHeight()), XStringFormats.TopLeft);

    private static string Cut(XGraphics gfx, string text, XFont font, double maxWidth)
    {
        text ??= "";
        if (gfx.MeasureString(text, font).Width <= maxWidth) return text;
        var length = text.Length;
        while (length > 0 && gfx.MeasureString(text[..length].TrimEnd() + "…", font).Width > maxWidth) length--;
        return text[..length].TrimEnd() + "…";
    }

    private static List<string> Wrap(XGraphics gfx, string text, XFont font, double maxWidth)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (current.Length > 0 && gfx.MeasureString(candidate, font).Width > maxWidth) { lines.Add(current); current = word; }
            else current = candidate;
        }
        if (current.Length > 0) lines.Add(current);
        return lines;
    }
}
