using System.Globalization;

namespace Ticketing.Web.Components.Shared;

/// <summary>Instants shown in the venue's time zone and the user's culture ("12 juin 2030 · 20:30" / "June 12, 2030 · 8:30 PM").</summary>
public static class Dates
{
    public static DateTimeOffset ToVenueTime(DateTimeOffset instant, string? timeZoneId)
    {
        if (string.IsNullOrEmpty(timeZoneId)) timeZoneId = "Europe/Paris";
        return TimeZoneInfo.TryFindSystemTimeZoneById(timeZoneId, out var tz) ? TimeZoneInfo.ConvertTime(instant, tz) : instant;
    }

    public static string Format(DateTimeOffset instant, string? timeZoneId, CultureInfo? culture = null)
    {
        culture ??= CultureInfo.CurrentCulture;
        var local = ToVenueTime(instant, timeZoneId);
        return $"{local.ToString("D", culture)} · {local.ToString("t", culture)}";
    }
}
