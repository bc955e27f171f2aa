using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.Messages;

public sealed class AttendeeMessageRecipientConfiguration : IEntityTypeConfiguration<AttendeeMessageRecipient>
{
    public void Configure(EntityTypeBuilder<AttendeeMessageRecipient> b)
    {
        b.Property(r => r.NormalizedEmail).HasMaxLength(256);
        b.Property(r => r.Name).HasMaxLength(200);
        b.Property(r => r.Language).HasMaxLength(8);
        // Each address once per message, whatever runs twice.
        b.HasIndex(r => new { r.MessageId, r.NormalizedEmail }).IsUnique();
    }
}
