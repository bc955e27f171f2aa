namespace Ticketing.Core.Orders;

/// <summary><c>Idempotency:*</c>: how long an <c>Idempotency-Key</c> is remembered.</summary>
public sealed class IdempotencyOptions
{
    public const string Section = "Idempotency";

    /// <summary>
    /// A key's record (and its replayable answer) is kept this long after the request, then purged by a job: a client
    /// retrying later than this with the same key runs the request again.
    /// </summary>
    public int RetentionHours { get; set; } = 24;

    /// <summary>Quartz cron of the purge job (hourly, at minute 17, by default).</summary>
    public string PurgeSchedule { get; set; } = "0 17 * * * ?";
}
