using System.Globalization;
using System.Text;

namespace Ticketing.Core.Common;

public static class SearchText
{
    /// <summary>Lower-case, accent-free form used for search on both SQLite and PostgreSQL ("Théâtre" -> "theatre").</summary>
    public static string Normalize(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return string.Empty;
        var decomposed = value.Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var ch in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(ch);
            if (category == UnicodeCategory.NonSpacingMark) continue;
            sb.Append(char.IsWhiteSpace(ch) ? ' ' : char.ToLowerInvariant(ch));
        }
        return sb.ToString().Normalize(NormalizationForm.FormC).Trim();
    }
}

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
