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

    public static DateTimeOffset Local(DateTimeOffset utc, string? timeZoneId = null)
    {
        try { return TimeZoneInfo.ConvertTime(utc, TimeZoneInfo.FindSystemTimeZoneById(timeZoneId ?? DefaultTimeZone)); }
        catch (TimeZoneNotFoundException) { return utc; }
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
