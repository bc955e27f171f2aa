namespace Ticketing.Core.Receipts;

/// <summary>Everything printed on a receipt or credit note, already formatted and localized by the caller.</summary>
public sealed record ReceiptPdfModel(
    string Title,
    string Number,
    IReadOnlyList<(string Label, string Value)> Details,
    IReadOnlyList<string> LineHeaders,
    IReadOnlyList<ReceiptPdfLine> Lines,
    string TotalLabel,
    string Total,
    string VatTitle,
    IReadOnlyList<string> VatHeaders,
    IReadOnlyList<IReadOnlyList<string>> VatRows,
    string Footer);

/// <summary>A line of the receipt: what, how many, the unit price and the amount (VAT included).</summary>
public sealed record ReceiptPdfLine(string Description, string Quantity, string UnitPrice, string Amount);
