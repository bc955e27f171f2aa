using System.Globalization;
using Ticketing.Core.Common;

namespace Ticketing.Web.Components.Shared;

/// <summary>
/// Dates in the venue's time zone and prices in the reader's culture ("12 juin 2027 · 20:30", "45,00 €"), for every page
/// (the catalogue, checkout, tickets, the waiting room, the dashboards, the door).
/// </summary>
public static class DisplayFormat
{
    public const string DefaultTimeZone = "Europe/Paris";

    /// <summary>The instant in the venue's time zone (Europe/Paris when none is given or it is unknown here).</summary>
    public static DateTimeOffset Local(DateTimeOffset utc, string? timeZoneId = null) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(string.IsNullOrEmpty(timeZoneId) ? DefaultTimeZone : timeZoneId, out var zone)
            ? TimeZoneInfo.ConvertTime(utc, zone) : utc;

    /// <summary>"Wednesday, June 12, 2030 · 8:30 PM" / "mercredi 12 juin 2030 · 20:30": the back office's long form.</summary>
    public static string DateAndTime(DateTimeOffset utc, string? timeZoneId, CultureInfo? culture = null)
    {
        culture ??= Culture;
        var local = Local(utc, timeZoneId);
        return $"{local.ToString("D", culture)} · {local.ToString("t", culture)}";
    }

    /// <summary>"Fri 12 June 2027" / "ven. 12 juin 2027".</summary>
    public static string Day(DateTimeOffset utc, string? tz = null) =>
        Local(utc, tz).ToString(Culture.TwoLetterISOLanguageName == "fr" ? "ddd d MMMM yyyy" : "ddd d MMMM yyyy", Culture);

    public static string Time(DateTimeOffset utc, string? tz = null) =>
        Local(utc, tz).ToString(Culture.TwoLetterISOLanguageName == "fr" ? "HH:mm" : "h:mm tt", Culture);

    public static string DayTime(DateTimeOffset utc, string? tz = null) => $"{Day(utc, tz)} · {Time(utc, tz)}";

    /// <summary>One date, or a range "12 June – 3 July 2027".</summary>
    public static string Range(DateTimeOffset? first, DateTimeOffset? last)
    {
        if (first is null) return "";
        var a = Local(first.Value);
        var b = Local((last ?? first).Value);
        if (a.Date == b.Date) return Day(first.Value);
        return a.Year == b.Year
            ? $"{a.ToString("d MMM", Culture)} – {b.ToString("d MMM yyyy", Culture)}"
            : $"{a.ToString("d MMM yyyy", Culture)} – {b.ToString("d MMM yyyy", Culture)}";
    }

    public static string Price(decimal amount, string currency) => Money.Format(Money.ToMinor(amount), currency, Culture);

    public static string Price(long minor, string currency) => Money.Format(minor, currency, Culture);

    private static CultureInfo Culture => CultureInfo.CurrentCulture;
}
