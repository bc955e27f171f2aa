namespace Ticketing.Core.Receipts;

/// <summary>
/// An accounting document, immutable once written: a receipt for a paid order, or a credit note for a refund. Its
/// number is sequential and gapless per organizer, year and kind (<see cref="ReceiptCounter"/>), taken in the same
/// transaction as the money movement it records. Amounts are positive; a credit note's amounts are what was refunded.
/// </summary>
public sealed class Receipt
{
    public Guid Id { get; set; }
    public ReceiptKind Kind { get; set; }
    public Guid OrganizerId { get; set; }
    public int Year { get; set; }
    public int Sequence { get; set; }
    /// <summary><c>R-2027-000123</c> or <c>C-2027-000001</c>.</summary>
    public string Number { get; set; } = "";
    public Guid OrderId { get; set; }
    public Guid EventId { get; set; }
    public DateTimeOffset IssuedAt { get; set; }
    public long TotalMinor { get; set; }
    public long VatMinor { get; set; }
    public string Currency { get; set; } = "EUR";
    /// <summary>The VAT breakdown, <c>rate:base:vat</c> per rate separated by <c>;</c> (e.g. <c>550:4265:235;2000:125:25</c>).</summary>
    public string VatBreakdown { get; set; } = "";
    /// <summary>The buyer's name as printed (kept when the account is deleted).</summary>
    public string BuyerName { get; set; } = "";
    /// <summary>How the money was taken or given back: the provider ("Simulated", "Stripe", "Cash"…).</summary>
    public string Method { get; set; } = "";
    /// <summary>For a credit note: the receipt it corrects.</summary>
    public string? CorrectsNumber { get; set; }

    public static string Prefix(ReceiptKind kind) => kind == ReceiptKind.Receipt ? "R" : "C";

    public static string Format(ReceiptKind kind, int year, int sequence) => $"{Prefix(kind)}-{year:D4}-{sequence:D6}";

    public IReadOnlyList<VatLine> VatLines() => ParseBreakdown(VatBreakdown);

    public static string FormatBreakdown(IEnumerable<VatLine> lines) =>
        string.Join(';', lines.Select(l => $"{l.RateBasisPoints}:{l.BaseMinor}:{l.VatMinor}"));

    public static IReadOnlyList<VatLine> ParseBreakdown(string text) =>
        string.IsNullOrEmpty(text) ? [] : text.Split(';').Select(part => part.Split(':'))
            .Select(p => new VatLine(int.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture),
                long.Parse(p[1], System.Globalization.CultureInfo.InvariantCulture), long.Parse(p[2], System.Globalization.CultureInfo.InvariantCulture)))
            .ToList();
}
