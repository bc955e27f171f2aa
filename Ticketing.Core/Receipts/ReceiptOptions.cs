namespace Ticketing.Core.Receipts;

/// <summary><c>Receipts:*</c>: how receipts and VAT breakdowns are computed.</summary>
public sealed class ReceiptOptions
{
    public const string Section = "Receipts";

    /// <summary>VAT rate of the booking fees, in percent (the French standard rate by default: fees are a service).</summary>
    public decimal BookingFeeVatPercent { get; set; } = VatRates.ToPercent(VatRates.BookingFeeBasisPoints);

    public int BookingFeeBasisPoints => VatRates.FromPercent(BookingFeeVatPercent);
}
