namespace Ticketing.Core.Receipts;

/// <summary>VAT rates in basis points (1/100 of a percent): 550 = 5.5 %. Prices include VAT (French B2C practice).</summary>
public static class VatRates
{
    /// <summary>The French rate for live shows (billetterie de spectacles vivants).</summary>
    public const int DefaultBasisPoints = 550;

    /// <summary>Booking fees are a service taxed at the French standard rate (the default of <c>Receipts:BookingFeeVatPercent</c>).</summary>
    public const int BookingFeeBasisPoints = 2000;

    public const int MaxBasisPoints = 10_000;

    /// <summary>Percent (5.5) -> basis points (550).</summary>
    public static int FromPercent(decimal percent) => (int)decimal.Round(percent * 100m, MidpointRounding.AwayFromZero);

    /// <summary>Basis points (550) -> percent (5.5).</summary>
    public static decimal ToPercent(int basisPoints) => basisPoints / 100m;
}
