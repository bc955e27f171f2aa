namespace Ticketing.Core.Webhooks;

/// <summary><c>Webhooks:*</c>.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Allow <c>http://</c> endpoints (development and tests); production endpoints must use https.</summary>
    public bool AllowHttp { get; set; }
    /// <summary>Allow endpoints on loopback, private and link-local addresses (development and tests). Off: checked on every connection.</summary>
    public bool AllowPrivateNetworks { get; set; }
    /// <summary>How far before the last scan each scan looks again, for a sale or scan committed late (idempotent).</summary>
    public int LookbackMinutes { get; set; } = 10;
    /// <summary>Attempts before a delivery is marked failed (about a day and a half with the backoff below).</summary>
    public int MaxAttempts { get; set; } = 10;
    public int TimeoutSeconds { get; set; } = 10;
    public int MaxSubscriptionsPerOwner { get; set; } = 10;
    public string Schedule { get; set; } = "0/10 * * * * ?";

    /// <summary>The wait after attempt <paramref name="attempts"/>: 30 s, 1 min, 2 min, … capped at 6 h.</summary>
    public static TimeSpan Backoff(int attempts) => TimeSpan.FromSeconds(Math.Min(30 * Math.Pow(2, Math.Max(0, attempts - 1)), 6 * 3600));
}
