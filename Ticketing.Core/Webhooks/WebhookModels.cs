namespace Ticketing.Core.Webhooks;

/// <summary><c>POST /api/webhooks</c>: <c>events</c> absent or empty = every type.</summary>
public sealed record CreateWebhookRequest(string? Url, IReadOnlyList<string>? Events = null, string? Description = null);

public sealed record WebhookDto(Guid Id, string Url, string? Description, IReadOnlyList<string> Events, DateTimeOffset CreatedAt, bool Disabled,
    int Pending, int Failed, DateTimeOffset? LastDeliveredAt);

/// <summary>The created subscription with its signing secret, shown this once.</summary>
public sealed record CreatedWebhookDto(WebhookDto Webhook, string Secret);

public sealed record WebhookDeliveryDto(Guid Id, string EventType, string Status, int Attempts, DateTimeOffset CreatedAt, DateTimeOffset? DeliveredAt,
    DateTimeOffset NextAttemptAt, int? LastStatusCode, string? LastError);
