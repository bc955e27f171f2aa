namespace Ticketing.Core.Receipts;

/// <summary>One line of an order's VAT breakdown in the API: the rate in percent, the amount before VAT and the VAT.</summary>
public sealed record VatLineDto(decimal Rate, decimal Base, decimal Amount)
{
    public static IReadOnlyList<VatLineDto> From(IEnumerable<VatLine> lines) =>
        lines.Select(l => new VatLineDto(VatRates.ToPercent(l.RateBasisPoints), Common.Money.ToDecimal(l.BaseMinor), Common.Money.ToDecimal(l.VatMinor))).ToList();
}
