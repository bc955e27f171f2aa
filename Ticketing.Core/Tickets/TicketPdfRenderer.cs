using System.Globalization;
using PdfSharp;
using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Ticketing.Core.Tickets;

/// <summary>Everything printed on one ticket. <see cref="StartsAt"/> is an instant; it is shown in <see cref="TimeZoneId"/>.</summary>
public sealed record TicketPdfModel(string Number, string Code, string EventTitle, string? Artist,
    DateTimeOffset StartsAt, string TimeZoneId, string VenueName, string City, string Address,
    string CategoryName, string HolderName, string PriceText, string OrderReference, string? Seat = null);

/// <summary>Captions printed on the ticket, localized by the caller (EN/FR).</summary>
public sealed record TicketPdfLabels(string Ticket, string Date, string Venue, string Category, string Holder,
    string Number, string Price, string Order, string Footer, string Seat = "Seat");

/// <summary>
/// Renders e-tickets as PDF: one A4 page per ticket, with a QR code carrying exactly <see cref="TicketPdfModel.Code"/>.
/// Stateless and safe to call concurrently.
/// </summary>
public sealed class TicketPdfRenderer
{
    private const double Margin = 40;
    private const double HeaderHeight = 170;
    private const double AccentBarHeight = 6;
    private const double QrSize = 190;

    private static readonly XColor Dark = XColor.FromArgb(0x1B, 0x1F, 0x2A);
    private static readonly XColor Accent = XColor.FromArgb(0xE8, 0x59, 0x0C);
    private static readonly XColor AccentTint = XColor.FromArgb(0xFF, 0xF4, 0xE6);
    private static readonly XColor Ink = XColor.FromArgb(0x21, 0x25, 0x29);
    private static readonly XColor Muted = XColor.FromArgb(0x6C, 0x75, 0x7D);
    private static readonly XColor HeaderMuted = XColor.FromArgb(0xCE, 0xD4, 0xDA);
    private static readonly XColor Rule = XColor.FromArgb(0xDE, 0xE2, 0xE6);

    public byte[] Render(IReadOnlyList<TicketPdfModel> tickets, TicketPdfLabels labels, CultureInfo culture)
    {
        ArgumentNullException.ThrowIfNull(tickets);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(culture);
        if (tickets.Count == 0)
        {
            throw new ArgumentException("At least one ticket is required.", nameof(tickets));
        }

        TicketPdfFontResolver.EnsureRegistered();

        using var document = new PdfDocument();
        document.Info.Title = tickets.Count == 1
            ? $"{labels.Ticket} {tickets[0].Number} – {tickets[0].EventTitle}"
            : $"{labels.Ticket} – {tickets[0].EventTitle}";
        document.Info.Creator = "Ticketing";
        document.Info.Author = "Ticketing";

        var fonts = new Fonts();
        foreach (var ticket in tickets)
        {
            ArgumentNullException.ThrowIfNull(ticket);
            var page = document.AddPage();
            page.Size = PageSize.A4;
            using var gfx = XGraphics.FromPdfPage(page);
            DrawTicket(gfx, page.Width.Point, page.Height.Point, ticket, labels, culture, fonts);
        }

        using var output = new MemoryStream();
        document.Save(output, false);
        return output.ToArray();
    }

    /// <summary>Fonts are created per render: nothing is shared between threads except PDFsharp's own locked caches.</summary>
    private sealed class Fonts
    {
        public XFont Brand { get; } = TicketPdfFontResolver.CreateFont(15, bold: true);
        public XFont Kicker { get; } = TicketPdfFontResolver.CreateFont(10, bold: true);
        public XFont Artist { get; } = TicketPdfFontResolver.CreateFont(14, bold: false);
        public XFont Label { get; } = TicketPdfFontResolver.CreateFont(8, bold: true);
        public XFont Value { get; } = TicketPdfFontResolver.CreateFont(13, bold: true);
        public XFont Detail { get; } = TicketPdfFontResolver.CreateFont(10.5, bold: false);
        public XFont Code { get; } = TicketPdfFontResolver.CreateFont(9, bold: false);
        public XFont Footer { get; } = TicketPdfFontResolver.CreateFont(9, bold: false);
        public XFont Small { get; } = TicketPdfFontResolver.CreateFont(8, bold: false);
    }

    private static void DrawTicket(XGraphics gfx, double width, double height, TicketPdfModel t,
        TicketPdfLabels labels, CultureInfo culture, Fonts fonts)
    {
        var contentWidth = width - 2 * Margin;

        // Header band.
        gfx.DrawRectangle(new XSolidBrush(Dark), 0, 0, width, HeaderHeight);
        gfx.DrawRectangle(new XSolidBrush(Accent), 0, HeaderHeight, width, AccentBarHeight);

        gfx.DrawRoundedRectangle(new XSolidBrush(Accent), Margin, 32, 14, 14, 4, 4);
        DrawText(gfx, "Ticketing", fonts.Brand, XColors.White, Margin + 22, 30);
        var kicker = Upper(labels.Ticket, culture);
        var kickerWidth = gfx.MeasureString(kicker, fonts.Kicker).Width;
        DrawText(gfx, kicker, fonts.Kicker, Accent, width - Margin - kickerWidth, 35);

        var (titleFont, titleLines) = Fit(gfx, t.EventTitle, XFontStyleEx.Bold, 28, 16, contentWidth, 2);
        var y = 72.0;
        foreach (var line in titleLines)
        {
            DrawText(gfx, line, titleFont, XColors.White, Margin, y);
            y += titleFont.GetHeight();
        }

        if (!string.IsNullOrWhiteSpace(t.Artist))
        {
            var artist = Truncate(gfx, t.Artist, fonts.Artist, contentWidth);
            DrawText(gfx, artist, fonts.Artist, HeaderMuted, Margin, y + 4);
        }

        // Body: details on the left, QR code on the right.
        var top = HeaderHeight + AccentBarHeight + 30;
        var qrX = width - Margin - QrSize;
        var leftWidth = qrX - Margin - 28;

        var (dateText, timeText) = FormatStart(t.StartsAt, t.TimeZoneId, culture);
        y = top;
        y = DrawField(gfx, fonts, culture, labels.Date, Margin, y, leftWidth, dateText, [timeText]);
        y = DrawField(gfx, fonts, culture, labels.Venue, Margin, y, leftWidth, t.VenueName, [t.Address, t.City]);
        y = DrawField(gfx, fonts, culture, labels.Category, Margin, y, leftWidth, t.CategoryName, []);
        if (!string.IsNullOrWhiteSpace(t.Seat))
            y = DrawField(gfx, fonts, culture, labels.Seat, Margin, y, leftWidth, t.Seat, []);
        y = DrawField(gfx, fonts, culture, labels.Holder, Margin, y, leftWidth, t.HolderName, []);
        y = DrawField(gfx, fonts, culture, labels.Price, Margin, y, leftWidth, t.PriceText, []);
        var leftBottom = DrawField(gfx, fonts, culture, labels.Order, Margin, y, leftWidth, t.OrderReference, []);

        gfx.DrawRoundedRectangle(new XPen(Rule, 1), XBrushes.White, qrX - 8, top - 8, QrSize + 16, QrSize + 16, 10, 10);
        DrawQr(gfx, t.Code, qrX, top, QrSize);
        var code = Truncate(gfx, t.Code, fonts.Code, QrSize + 16);
        var codeWidth = gfx.MeasureString(code, fonts.Code).Width;
        DrawText(gfx, code, fonts.Code, Muted, qrX + (QrSize - codeWidth) / 2, top + QrSize + 16);
        var rightBottom = top + QrSize + 16 + fonts.Code.GetHeight();

        // Ticket number band.
        var boxTop = Math.Max(leftBottom, rightBottom) + 18;
        const double boxHeight = 78;
        gfx.DrawRectangle(new XSolidBrush(AccentTint), Margin, boxTop, contentWidth, boxHeight);
        gfx.DrawRectangle(new XSolidBrush(Accent), Margin, boxTop, 5, boxHeight);
        DrawText(gfx, Upper(labels.Number, culture), fonts.Label, Accent, Margin + 22, boxTop + 14);
        var (numberFont, numberLines) = Fit(gfx, t.Number, XFontStyleEx.Bold, 30, 14, contentWidth - 44, 1);
        DrawText(gfx, numberLines[0], numberFont, Ink, Margin + 22, boxTop + 30);

        // Perforation and footer.
        var cut = boxTop + boxHeight + 30;
        var dashed = new XPen(Rule, 1.2) { DashStyle = XDashStyle.Dash };
        gfx.DrawLine(dashed, 0, cut, width, cut);

        y = cut + 22;
        foreach (var line in Wrap(gfx, labels.Footer, fonts.Footer, contentWidth))
        {
            if (y > height - 80)
            {
                break;
            }

            DrawText(gfx, line, fonts.Footer, Muted, Margin, y);
            y += fonts.Footer.GetHeight() * 1.15;
        }

        // Bottom line.
        var bottom = height - 44;
        gfx.DrawLine(new XPen(Rule, 0.8), Margin, bottom, width - Margin, bottom);
        var left = Truncate(gfx, $"Ticketing · {t.EventTitle}", fonts.Small, contentWidth * 0.6);
        DrawText(gfx, left, fonts.Small, Muted, Margin, bottom + 8);
        var right = $"{labels.Order} {t.OrderReference} · {t.Number}";
        right = Truncate(gfx, right, fonts.Small, contentWidth * 0.38);
        var rightWidth = gfx.MeasureString(right, fonts.Small).Width;
        DrawText(gfx, right, fonts.Small, Muted, width - Margin - rightWidth, bottom + 8);
    }

    private static double DrawField(XGraphics gfx, Fonts fonts, CultureInfo culture, string label, double x, double y,
        double maxWidth, string value, IReadOnlyList<string> details)
    {
        DrawText(gfx, Upper(label, culture), fonts.Label, Accent, x, y);
        y += fonts.Label.GetHeight() + 3;

        foreach (var line in WrapMax(gfx, value, fonts.Value, maxWidth, 2))
        {
            DrawText(gfx, line, fonts.Value, Ink, x, y);
            y += fonts.Value.GetHeight();
        }

        foreach (var detail in details)
        {
            if (string.IsNullOrWhiteSpace(detail))
            {
                continue;
            }

            foreach (var line in WrapMax(gfx, detail, fonts.Detail, maxWidth, 2))
            {
                DrawText(gfx, line, fonts.Detail, Muted, x, y + 1);
                y += fonts.Detail.GetHeight();
            }
        }

        return y + 14;
    }

    private static void DrawQr(XGraphics gfx, string code, double x, double y, double size)
    {
        var matrix = TicketQrCode.CreateMatrix(code);
        var modules = matrix.GetLength(0);
        var module = size / modules;

        // One vector path (runs of dark modules per row): crisp at any zoom, no seams between modules.
        var path = new XGraphicsPath { FillMode = XFillMode.Winding };
        for (var row = 0; row < modules; row++)
        {
            var col = 0;
            while (col < modules)
            {
                if (!matrix[row, col])
                {
                    col++;
                    continue;
                }

                var start = col;
                while (col < modules && matrix[row, col])
                {
                    col++;
                }

                path.AddRectangle(x + start * module, y + row * module, (col - start) * module, module);
            }
        }

        gfx.DrawPath(XBrushes.Black, path);
    }

    private static (string Date, string Time) FormatStart(DateTimeOffset startsAt, string timeZoneId, CultureInfo culture)
    {
        var zone = FindZone(timeZoneId);
        var local = TimeZoneInfo.ConvertTime(startsAt, zone);
        var date = Capitalize(local.ToString("D", culture), culture);
        var zoneName = ReferenceEquals(zone, TimeZoneInfo.Utc) ? "UTC" : zone.Id;
        var time = $"{local.ToString("t", culture)} · {zoneName}";
        return (date, time);
    }

    private static TimeZoneInfo FindZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    private static void DrawText(XGraphics gfx, string text, XFont font, XColor color, double x, double y) =>
        gfx.DrawString(text, font, new XSolidBrush(color), new XRect(x, y, 10_000, font.GetHeight()), XStringFormats.TopLeft);

    private static string Upper(string text, CultureInfo culture) => culture.TextInfo.ToUpper(text ?? string.Empty);

    private static string Capitalize(string text, CultureInfo culture) =>
        text.Length == 0 ? text : culture.TextInfo.ToUpper(text[0]) + text[1..];

    /// <summary>Largest size in [min, max] at which the text fits in maxLines; truncated with an ellipsis otherwise.</summary>
    private static (XFont Font, List<string> Lines) Fit(XGraphics gfx, string text, XFontStyleEx style,
        double maxSize, double minSize, double maxWidth, int maxLines)
    {
        text ??= string.Empty;
        for (var size = maxSize; size >= minSize; size -= 1)
        {
            var font = TicketPdfFontResolver.CreateFont(size, style == XFontStyleEx.Bold);
            var lines = Wrap(gfx, text, font, maxWidth);
            if (lines.Count <= maxLines)
            {
                return (font, lines);
            }
        }

        var smallest = TicketPdfFontResolver.CreateFont(minSize, style == XFontStyleEx.Bold);
        var wrapped = Wrap(gfx, text, smallest, maxWidth);
        var kept = wrapped.Take(maxLines).ToList();
        var rest = string.Join(' ', wrapped.Skip(maxLines - 1));
        kept[^1] = Truncate(gfx, rest, smallest, maxWidth);
        return (smallest, kept);
    }

    private static string Truncate(XGraphics gfx, string text, XFont font, double maxWidth)
    {
        text ??= string.Empty;
        if (gfx.MeasureString(text, font).Width <= maxWidth)
        {
            return text;
        }

        const string ellipsis = "…";
        var length = text.Length;
        while (length > 0 && gfx.MeasureString(text[..length].TrimEnd() + ellipsis, font).Width > maxWidth)
        {
            length--;
        }

        return text[..length].TrimEnd() + ellipsis;
    }

    /// <summary>Wraps to at most maxLines lines; the last kept line ends with an ellipsis if text was cut.</summary>
    private static List<string> WrapMax(XGraphics gfx, string text, XFont font, double maxWidth, int maxLines)
    {
        var lines = Wrap(gfx, text, font, maxWidth);
        if (lines.Count <= maxLines)
        {
            return lines;
        }

        var kept = lines.Take(maxLines).ToList();
        kept[^1] = Truncate(gfx, kept[^1] + " " + lines[maxLines], font, maxWidth);
        return kept;
    }

    /// <summary>Greedy word wrap; words longer than a line are broken by characters.</summary>
    private static List<string> Wrap(XGraphics gfx, string text, XFont font, double maxWidth)
    {
        var lines = new List<string>();
        var words = (text ?? string.Empty).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        var current = string.Empty;
        foreach (var word in words)
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (gfx.MeasureString(candidate, font).Width <= maxWidth)
            {
                current = candidate;
                continue;
            }

            if (current.Length > 0)
            {
                lines.Add(current);
            }

            current = word;
            while (current.Length > 1 && gfx.MeasureString(current, font).Width > maxWidth)
            {
                var cut = current.Length - 1;
                while (cut > 1 && gfx.MeasureString(current[..cut], font).Width > maxWidth)
                {
                    cut--;
                }

                lines.Add(current[..cut]);
                current = current[cut..];
            }
        }

        if (current.Length > 0 || lines.Count == 0)
        {
            lines.Add(current);
        }

        return lines;
    }
}
