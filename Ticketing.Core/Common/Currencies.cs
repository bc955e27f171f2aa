using System.Collections.Frozen;

namespace Ticketing.Core.Common;

/// <summary>
/// The ISO 4217 currencies a price may be in: the active codes of the standard's list one (amendment 179, 2025),
/// without precious metals, testing codes, SDR and fund codes, with each currency's minor-unit digits. A code that
/// is not here (<c>XYZ</c>, a withdrawn <c>FRF</c> or <c>HRK</c>) is refused with <c>unsupported_currency</c>.
/// Amounts are stored in hundredths, so a currency allows at most two decimals (<see cref="DecimalsOf"/>).
/// </summary>
public static class Currencies
{
    public const string Default = "EUR";

    private static readonly FrozenDictionary<string, int> MinorDigits = new Dictionary<string, int>
    {
        ["AED"] = 2, ["AFN"] = 2, ["ALL"] = 2, ["AMD"] = 2, ["AOA"] = 2, ["ARS"] = 2, ["AUD"] = 2, ["AWG"] = 2, ["AZN"] = 2,
        ["BAM"] = 2, ["BBD"] = 2, ["BDT"] = 2, ["BHD"] = 3, ["BIF"] = 0, ["BMD"] = 2, ["BND"] = 2, ["BOB"] = 2, ["BRL"] = 2,
        ["BSD"] = 2, ["BTN"] = 2, ["BWP"] = 2, ["BYN"] = 2, ["BZD"] = 2, ["CAD"] = 2, ["CDF"] = 2, ["CHF"] = 2, ["CLP"] = 0,
        ["CNY"] = 2, ["COP"] = 2, ["CRC"] = 2, ["CUP"] = 2, ["CVE"] = 2, ["CZK"] = 2, ["DJF"] = 0, ["DKK"] = 2, ["DOP"] = 2,
        ["DZD"] = 2, ["EGP"] = 2, ["ERN"] = 2, ["ETB"] = 2, ["EUR"] = 2, ["FJD"] = 2, ["FKP"] = 2, ["GBP"] = 2, ["GEL"] = 2,
        ["GHS"] = 2, ["GIP"] = 2, ["GMD"] = 2, ["GNF"] = 0, ["GTQ"] = 2, ["GYD"] = 2, ["HKD"] = 2, ["HNL"] = 2, ["HTG"] = 2,
        ["HUF"] = 2, ["IDR"] = 2, ["ILS"] = 2, ["INR"] = 2, ["IQD"] = 3, ["IRR"] = 2, ["ISK"] = 0, ["JMD"] = 2, ["JOD"] = 3,
        ["JPY"] = 0, ["KES"] = 2, ["KGS"] = 2, ["KHR"] = 2, ["KMF"] = 0, ["KPW"] = 2, ["KRW"] = 0, ["KWD"] = 3, ["KYD"] = 2,
        ["KZT"] = 2, ["LAK"] = 2, ["LBP"] = 2, ["LKR"] = 2, ["LRD"] = 2, ["LSL"] = 2, ["LYD"] = 3, ["MAD"] = 2, ["MDL"] = 2,
        ["MGA"] = 2, ["MKD"] = 2, ["MMK"] = 2, ["MNT"] = 2, ["MOP"] = 2, ["MRU"] = 2, ["MUR"] = 2, ["MVR"] = 2, ["MWK"] = 2,
        ["MXN"] = 2, ["MYR"] = 2, ["MZN"] = 2, ["NAD"] = 2, ["NGN"] = 2, ["NIO"] = 2, ["NOK"] = 2, ["NPR"] = 2, ["NZD"] = 2,
        ["OMR"] = 3, ["PAB"] = 2, ["PEN"] = 2, ["PGK"] = 2, ["PHP"] = 2, ["PKR"] = 2, ["PLN"] = 2, ["PYG"] = 0, ["QAR"] = 2,
        ["RON"] = 2, ["RSD"] = 2, ["RUB"] = 2, ["RWF"] = 0, ["SAR"] = 2, ["SBD"] = 2, ["SCR"] = 2, ["SDG"] = 2, ["SEK"] = 2,
        ["SGD"] = 2, ["SHP"] = 2, ["SLE"] = 2, ["SOS"] = 2, ["SRD"] = 2, ["SSP"] = 2, ["STN"] = 2, ["SVC"] = 2, ["SYP"] = 2,
        ["SZL"] = 2, ["THB"] = 2, ["TJS"] = 2, ["TMT"] = 2, ["TND"] = 3, ["TOP"] = 2, ["TRY"] = 2, ["TTD"] = 2, ["TWD"] = 2,
        ["TZS"] = 2, ["UAH"] = 2, ["UGX"] = 0, ["USD"] = 2, ["UYU"] = 2, ["UZS"] = 2, ["VED"] = 2, ["VES"] = 2, ["VND"] = 0,
        ["VUV"] = 0, ["WST"] = 2, ["XAF"] = 0, ["XCD"] = 2, ["XCG"] = 2, ["XOF"] = 0, ["XPF"] = 0, ["YER"] = 2, ["ZAR"] = 2,
        ["ZMW"] = 2, ["ZWG"] = 2,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every supported code, sorted (for pickers).</summary>
    public static IReadOnlyList<string> Codes { get; } = MinorDigits.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>The code as stored (trimmed, upper case), <see cref="Default"/> when absent.</summary>
    public static string Normalize(string? code) => string.IsNullOrWhiteSpace(code) ? Default : code.Trim().ToUpperInvariant();

    public static bool IsSupported(string? code) => MinorDigits.ContainsKey(Normalize(code));

    /// <summary>How many decimals a price in <paramref name="code"/> may have: the currency's minor unit, at most 2 (JPY: 0).</summary>
    public static int DecimalsOf(string? code) => Math.Min(2, MinorDigits.GetValueOrDefault(Normalize(code), 2));

    /// <summary>
    /// An amount stored in hundredths, in the currency's own minor unit (what a payment provider expects): 1000 JPY is
    /// stored 100000 and sent 1000; 12.50 EUR is 1250 either way; 1.25 BHD (3 decimals) is sent 1250.
    /// </summary>
    public static long ToCurrencyMinorUnits(long hundredths, string? code)
    {
        var digits = MinorDigits.GetValueOrDefault(Normalize(code), 2);
        return digits >= 2 ? hundredths * Pow10(digits - 2) : hundredths / Pow10(2 - digits);
    }

    private static long Pow10(int n) => n == 0 ? 1 : 10 * Pow10(n - 1);
}
