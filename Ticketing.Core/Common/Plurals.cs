using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Ticketing.Core.Common;

/// <summary>
/// Real plural forms from two resource keys, <c>Key.One</c> and <c>Key.Other</c> ("1 seat" / "3 seats",
/// "0 place" / "2 places"), chosen by the current UI culture's CLDR cardinal rule: English says "one" for exactly 1,
/// French for 0 and 1 (its "many" form for round millions reads as "other" here).
/// </summary>
public static class Plurals
{
    public static bool IsOne(long count, CultureInfo culture) =>
        culture.TwoLetterISOLanguageName == "fr" ? count is 0 or 1 : count == 1;

    /// <summary>The key's form for <paramref name="count"/>, formatted with <paramref name="count"/> as <c>{0}</c>.</summary>
    public static LocalizedString Plural(this IStringLocalizer localizer, string key, long count) =>
        localizer.Plural(key, count, count);

    /// <summary>The key's form for <paramref name="count"/>, formatted with <paramref name="arguments"/>.</summary>
    public static LocalizedString Plural(this IStringLocalizer localizer, string key, long count, params object[] arguments) =>
        localizer[key + (IsOne(count, CultureInfo.CurrentUICulture) ? ".One" : ".Other"), arguments];
}
