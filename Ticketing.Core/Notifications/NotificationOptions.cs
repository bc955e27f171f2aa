namespace Ticketing.Core.Notifications;

/// <summary>Delivery of the outbox (<c>Notifications:*</c>).</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>Attempts before a notification is marked <see cref="NotificationStatus.Failed"/>.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>How long an instance owns a claimed notification; a crashed instance's claim expires after it.</summary>
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>Notifications claimed per run of the delivery job.</summary>
    public int BatchSize { get; set; } = 25;

    /// <summary>
    /// While this instance is selling (a purchase in the last 2 s), the delivery job waits this long between batches,
    /// so that an on-sale's confirmations do not take the CPU its buyers need; at full speed again once the sale calms.
    /// 0 = never wait.
    /// </summary>
    public int PaceWhileSellingMilliseconds { get; set; } = 1000;

    /// <summary>Delay before retry N (1-based): 20 s, 1 min, 5 min, 15 min, then hourly.</summary>
    public static TimeSpan Backoff(int failedAttempts) => failedAttempts switch
    {
        <= 1 => TimeSpan.FromSeconds(20),
        2 => TimeSpan.FromMinutes(1),
        3 => TimeSpan.FromMinutes(5),
        4 => TimeSpan.FromMinutes(15),
        _ => TimeSpan.FromHours(1),
    };
}

/// <summary>SMTP settings (<c>Email:Smtp:*</c>). With no <see cref="Host"/>, mails are written as .eml files under App_Data/mail/.</summary>
public sealed class SmtpOptions
{
    public const string Section = "Email:Smtp";
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "Ticketing <no-reply@ticketing.local>";
    /// <summary>
    /// TLS required (the default): implicit on port 465, STARTTLS on any other port. <c>false</c> only for a local relay
    /// or a test server without TLS: STARTTLS is then still used whenever the server offers it.
    /// </summary>
    public bool UseTls { get; set; } = true;
    /// <summary>Connect / command timeout.</summary>
    public int TimeoutSeconds { get; set; } = 15;
    /// <summary>Folder of the .eml files when no host is configured (relative to the content root).</summary>
    public string PickupDirectory { get; set; } = "App_Data/mail";
}

/// <summary>SMS settings (<c>Sms:*</c>).</summary>
public sealed class SmsOptions
{
    public const string Section = "Sms";
    public string Provider { get; set; } = "Simulated";
}

/// <summary>
/// A delivery failure that retrying cannot fix (invalid address or phone number, order gone, recipient refused by
/// the server): the notification is marked failed at once.
/// </summary>
public sealed class PermanentDeliveryException(string message, Exception? inner = null) : Exception(message, inner);
