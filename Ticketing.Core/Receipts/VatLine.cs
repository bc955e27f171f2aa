namespace Ticketing.Core.Receipts;

/// <summary>One rate of a VAT breakdown, in minor units: <see cref="BaseMinor"/> + <see cref="VatMinor"/> = <see cref="GrossMinor"/>.</summary>
public sealed record VatLine(int RateBasisPoints, long BaseMinor, long VatMinor)
{
    public long GrossMinor => BaseMinor + VatMinor;
}
