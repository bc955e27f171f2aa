using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.Notifications;

public sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.Property(n => n.Recipient).HasMaxLength(256);
        b.Property(n => n.Language).HasMaxLength(8);
        b.Property(n => n.LastError).HasMaxLength(2000);
        b.Property(n => n.MessageId).HasMaxLength(200);
        b.HasIndex(n => new { n.Status, n.NextAttemptAt });
        b.HasIndex(n => n.OrderId);
        b.HasIndex(n => new { n.OrderId, n.Kind }).IsUnique();
    }
}

public sealed class SmsMessageConfiguration : IEntityTypeConfiguration<SmsMessage>
{
    public void Configure(EntityTypeBuilder<SmsMessage> b)
    {
        b.Property(m => m.To).HasMaxLength(32);
        b.Property(m => m.Body).HasMaxLength(1000);
        b.Property(m => m.Status).HasMaxLength(32);
        b.HasIndex(m => m.CreatedAt);
    }
}
