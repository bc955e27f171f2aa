using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.Messages;

public sealed class AttendeeMessageConfiguration : IEntityTypeConfiguration<AttendeeMessage>
{
    public void Configure(EntityTypeBuilder<AttendeeMessage> b)
    {
        b.Property(m => m.SubjectEn).HasMaxLength(AttendeeMessage.SubjectMaxLength);
        b.Property(m => m.SubjectFr).HasMaxLength(AttendeeMessage.SubjectMaxLength);
        b.Property(m => m.BodyEn).HasMaxLength(AttendeeMessage.BodyMaxLength);
        b.Property(m => m.BodyFr).HasMaxLength(AttendeeMessage.BodyMaxLength);
        b.Property(m => m.PreviousVenue).HasMaxLength(600);
        b.HasIndex(m => new { m.EventId, m.CreatedAt });
    }
}
