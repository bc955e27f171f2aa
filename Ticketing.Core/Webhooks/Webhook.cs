using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.Webhooks;

/// <summary>
/// An organizer's endpoint for integrations: signed deliveries of what happened on their events (<see cref="WebhookEventTypes"/>).
/// The signing secret is stored encrypted with the key-encryption key and shown to the organizer once, at creation.
/// </summary>
public sealed class WebhookSubscription
{
    public const int UrlMaxLength = 500;
    public const int DescriptionMaxLength = 200;

    public Guid Id { get; set; }
    public Guid OwnerId { get; set; }
    public string Url { get; set; } = "";
    public string? Description { get; set; }
    /// <summary>The event types delivered, comma-separated (<c>order.paid,order.refunded,ticket.checked_in</c>).</summary>
    public string Events { get; set; } = "";
    /// <summary>The signing secret, encrypted (<see cref="Common.KeyEncryption"/>).</summary>
    public string SecretEncrypted { get; set; } = "";
    /// <summary>What happened up to this instant has been turned into deliveries (the next scan looks back a little before it).</summary>
    public DateTimeOffset ScannedUntil { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }

    public IReadOnlyList<string> EventList => Events.Split(',', StringSplitOptions.RemoveEmptyEntries);
}

public enum WebhookDeliveryStatus { Pending, Delivered, Failed }

/// <summary>One event for one subscription: unique per (subscription, event key), so a scan that runs twice adds nothing.</summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; }
    public Guid SubscriptionId { get; set; }
    public string EventType { get; set; } = "";
    /// <summary>What the event is about, unique per subscription: <c>order.paid:{receiptId}</c>, <c>ticket.checked_in:{ticketId}</c>.</summary>
    public string EventKey { get; set; } = "";
    /// <summary>The JSON body, fixed when the event is recorded (a retry sends the same bytes).</summary>
    public string Payload { get; set; } = "";
    public WebhookDeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? LockedUntil { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
}

public static class WebhookEventTypes
{
    public const string OrderPaid = "order.paid";
    public const string OrderRefunded = "order.refunded";
    public const string TicketCheckedIn = "ticket.checked_in";
    public static readonly IReadOnlyList<string> All = [OrderPaid, OrderRefunded, TicketCheckedIn];
}

public sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> b)
    {
        b.ToTable("WebhookSubscriptions");
        b.Property(s => s.Url).HasMaxLength(WebhookSubscription.UrlMaxLength);
        b.Property(s => s.Description).HasMaxLength(WebhookSubscription.DescriptionMaxLength);
        b.Property(s => s.Events).HasMaxLength(200);
        b.Property(s => s.SecretEncrypted).HasMaxLength(500);
        b.Ignore(s => s.EventList);
        b.HasIndex(s => s.OwnerId);
    }
}

public sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.ToTable("WebhookDeliveries");
        b.Property(d => d.EventType).HasMaxLength(40);
        b.Property(d => d.EventKey).HasMaxLength(100);
        b.Property(d => d.LastError).HasMaxLength(500);
        b.Property(d => d.Payload).HasMaxLength(16000);
        b.HasOne<WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(d => new { d.SubscriptionId, d.EventKey }).IsUnique();
        b.HasIndex(d => new { d.Status, d.NextAttemptAt });
        b.HasIndex(d => new { d.SubscriptionId, d.CreatedAt });
    }
}
