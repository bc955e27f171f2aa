using System.Globalization;

namespace Ticketing.Core.Common;

/// <summary>Amounts in minor units (cents) and their display in a culture.</summary>
public static class Money
{
    public static decimal ToDecimal(long minor) => minor / 100m;
    public static long ToMinor(decimal amount) => (long)Math.Round(amount * 100m, MidpointRounding.AwayFromZero);

    public static string Format(long minor, string currency, CultureInfo culture)
    {
        var nf = (NumberFormatInfo)culture.NumberFormat.Clone();
        nf.CurrencySymbol = currency.ToUpperInvariant() switch
        {
            "EUR" => "€", "USD" => "$", "GBP" => "£", "CHF" => "CHF", var c => c,
        };
        nf.CurrencyDecimalDigits = Currencies.DecimalsOf(currency);
        return ToDecimal(minor).ToString("C", nf);
    }
}
