using Ticketing.Core.Common;

namespace Ticketing.Tests.Unit;

public sealed class CurrenciesTests
{
    [Theory]
    [InlineData("EUR", true)]
    [InlineData(" jpy ", true)]
    [InlineData("XCG", true)]
    [InlineData("XYZ", false)]
    [InlineData("FRF", false)]
    [InlineData("HRK", false)]
    [InlineData("XAU", false)]
    [InlineData("EURO", false)]
    public void OnlyActiveIso4217CurrencyCodesAreSupported(string code, bool supported) =>
        Assert.Equal(supported, Currencies.IsSupported(code));

    [Theory]
    [InlineData("EUR", 2)]
    [InlineData("JPY", 0)]
    [InlineData("XOF", 0)]
    [InlineData("BHD", 2)]
    public void APriceMayHaveTheCurrencysDecimals_AtMostTwo(string code, int decimals) =>
        Assert.Equal(decimals, Currencies.DecimalsOf(code));

    [Theory]
    [InlineData(100_000, "JPY", 1_000)]
    [InlineData(1_250, "EUR", 1_250)]
    [InlineData(125, "BHD", 1_250)]
    public void StoredHundredthsBecomeTheCurrencysOwnMinorUnitsForAPaymentProvider(long hundredths, string code, long expected) =>
        Assert.Equal(expected, Currencies.ToCurrencyMinorUnits(hundredths, code));
}
