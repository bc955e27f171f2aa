using Quartz;

namespace Ticketing.Core.Backups;

/// <summary>Reads the Quartz cron expression of <see cref="BackupOptions.Schedule"/>.</summary>
public static class BackupSchedule
{
    public static bool IsValid(string? cron) => !string.IsNullOrWhiteSpace(cron) && CronExpression.TryParse(cron, out _);

    /// <summary>The time between the next two runs after <paramref name="nowUtc"/> (one hour for the default schedule).</summary>
    public static TimeSpan Period(string cron, DateTimeOffset nowUtc)
    {
        var expression = new CronExpression(cron, TimeZoneInfo.Utc);
        var first = expression.GetNextValidTimeAfter(nowUtc);
        var second = first is { } f ? expression.GetNextValidTimeAfter(f) : null;
        return first is { } a && second is { } b ? b - a : TimeSpan.MaxValue;
    }

    /// <summary>The next run after <paramref name="nowUtc"/>, or null when the expression never fires again.</summary>
    public static DateTimeOffset? Next(string cron, DateTimeOffset nowUtc) =>
        new CronExpression(cron, TimeZoneInfo.Utc).GetNextValidTimeAfter(nowUtc);
}
