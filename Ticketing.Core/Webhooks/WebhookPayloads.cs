using System.Text.Json;

namespace Ticketing.Core.Webhooks;

/// <summary>The body of every delivery: <c>{id, type, createdAt, data}</c>; <c>id</c> is the delivery's id (the receiver's de-duplication key).</summary>
public static class WebhookPayloads
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static WebhookDelivery Delivery(Guid subscriptionId, string type, string key, DateTimeOffset now, object data)
    {
        var id = Guid.CreateVersion7();
        return new WebhookDelivery
        {
            Id = id, SubscriptionId = subscriptionId, EventType = type, EventKey = key,
            Payload = JsonSerializer.Serialize(new { id, type, createdAt = now, data }, Json),
            Status = WebhookDeliveryStatus.Pending, CreatedAt = now, NextAttemptAt = now,
        };
    }
}
