using System.Globalization;
using Microsoft.Extensions.Localization;
using Ticketing.Core.Backups;
using Ticketing.Core.Common;

namespace Ticketing.Web.Features.Backups;

/// <summary>
/// A backup schedule in words for people ("Every day at 03:00", "Every 6 hours") instead of its Quartz cron
/// expression, and a time zone by its city ("Paris time") instead of its id. The words come from the next runs
/// themselves, so any valid expression reads right; an irregular one says "on a custom schedule".
/// </summary>
public static class ScheduleText
{
    public static string Describe(IStringLocalizer l, string? cron, DateTimeOffset nowUtc, TimeZoneInfo zone)
    {
        if (!BackupSchedule.IsValid(cron)) return l["Backups.Every.Custom"];
        var runs = new List<DateTimeOffset>();
        var at = nowUtc;
        for (var i = 0; i < 9 && BackupSchedule.Next(cron!, at) is { } next; i++) runs.Add(at = next);
        var gaps = runs.Zip(runs.Skip(1), (a, b) => b - a).Distinct().ToList();
        if (runs.Count < 2 || gaps.Count != 1) return l["Backups.Every.Custom"];
        var gap = gaps[0];
        var local = TimeZoneInfo.ConvertTime(runs[0], zone);
        var culture = CultureInfo.CurrentCulture;
        if (gap == TimeSpan.FromDays(1)) return l["Backups.Every.Day", local.ToString("t", culture)];
        if (gap == TimeSpan.FromDays(7)) return l["Backups.Every.Week", culture.DateTimeFormat.GetDayName(local.DayOfWeek), local.ToString("t", culture)];
        if (gap < TimeSpan.FromDays(1) && gap.TotalHours == Math.Floor(gap.TotalHours)) return l.Plural("Backups.Every.Hours", (long)gap.TotalHours);
        if (gap < TimeSpan.FromHours(1) && gap.TotalMinutes == Math.Floor(gap.TotalMinutes)) return l.Plural("Backups.Every.Minutes", (long)gap.TotalMinutes);
        return l["Backups.Every.Custom"];
    }

    /// <summary>"Paris time" for Europe/Paris, "New York time" for America/New_York; "UTC" for UTC and the Etc zones.</summary>
    public static string ZoneName(IStringLocalizer l, TimeZoneInfo zone)
    {
        var id = zone.Id;
        if (zone == TimeZoneInfo.Utc || id is "UTC" or "Etc/UTC" or "Etc/Universal" or "Universal" or "Zulu" || id.StartsWith("Etc/", StringComparison.Ordinal)
            || !id.Contains('/'))
            return zone.BaseUtcOffset == TimeSpan.Zero && !zone.SupportsDaylightSavingTime ? "UTC" : zone.StandardName;
        return l["Backups.TimeZone", id[(id.LastIndexOf('/') + 1)..].Replace('_', ' ')];
    }

    /// <summary>A size in B, KB, MB or GB in the reader's language ("2,5 Mo" in French).</summary>
    public static string Size(IStringLocalizer l, long bytes)
    {
        var culture = CultureInfo.CurrentCulture;
        return bytes switch
        {
            < 1024 => l["Units.Bytes", bytes.ToString("N0", culture)],
            < 1024 * 1024 => l["Units.KB", (bytes / 1024d).ToString("N1", culture)],
            < 1024L * 1024 * 1024 => l["Units.MB", (bytes / 1024d / 1024).ToString("N1", culture)],
            _ => l["Units.GB", (bytes / 1024d / 1024 / 1024).ToString("N2", culture)],
        };
    }
}
