namespace Ticketing.Core.Payments;

/// <summary>A provider event already processed: its id is the primary key, so an event is processed exactly once.</summary>
public sealed class WebhookEvent
{
    public string Id { get; set; } = "";
    public string Type { get; set; } = "";
    public DateTimeOffset ProcessedAt { get; set; }
}
