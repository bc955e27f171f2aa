using Ticketing.Core.Orders;

namespace Ticketing.Core.Receipts;

/// <summary>
/// Splits VAT-inclusive amounts per rate: for each rate, the gross total is summed first and the VAT extracted once
/// (base = round(gross × 10000 / (10000 + rate)), VAT = gross − base), so the lines always add up to the total paid.
/// </summary>
public static class VatBreakdown
{
    public static IReadOnlyList<VatLine> Of(IEnumerable<(long GrossMinor, int RateBasisPoints)> amounts) =>
        amounts.Where(a => a.GrossMinor != 0).GroupBy(a => a.RateBasisPoints).OrderBy(g => g.Key)
            .Select(g => Split(g.Sum(a => a.GrossMinor), g.Key)).ToList();

    /// <summary>The tickets' prices at their category's rate and the booking fees at <paramref name="feeBasisPoints"/> (<see cref="ReceiptOptions"/>).</summary>
    public static IReadOnlyList<VatLine> OfItems(IEnumerable<OrderItem> items, int feeBasisPoints, Func<OrderItem, int>? quantity = null)
    {
        quantity ??= i => i.Quantity;
        return Of(items.SelectMany(i => new[]
        {
            (i.UnitNetPriceMinor * quantity(i), i.VatRateBasisPoints), // after a promo code's discount
            (i.UnitFeeMinor * quantity(i), feeBasisPoints),
        }));
    }

    public static VatLine Split(long grossMinor, int rateBasisPoints)
    {
        var baseMinor = (long)Math.Round(grossMinor * 10_000m / (10_000 + rateBasisPoints), MidpointRounding.AwayFromZero);
        return new VatLine(rateBasisPoints, baseMinor, grossMinor - baseMinor);
    }
}
