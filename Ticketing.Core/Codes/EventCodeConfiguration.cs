using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.Codes;

public sealed class EventCodeConfiguration : IEntityTypeConfiguration<EventCode>
{
    public void Configure(EntityTypeBuilder<EventCode> b)
    {
        b.ToTable("EventCodes", t => t.HasCheckConstraint("CK_EventCodes_Uses", "\"Uses\" >= 0 AND \"Uses\" <= \"MaxUses\""));
        b.Property(c => c.Code).HasMaxLength(EventCode.CodeMaxLength);
        b.Property(c => c.NormalizedCode).HasMaxLength(EventCode.CodeMaxLength);
        b.Property(c => c.Kind).HasConversion<string>().HasMaxLength(10);
        b.Property(c => c.Discount).HasConversion<string>().HasMaxLength(10);
        b.Property(c => c.Currency).HasMaxLength(3);
        b.HasIndex(c => new { c.EventId, c.Kind, c.NormalizedCode }).IsUnique();
        b.HasOne<Events.Event>().WithMany().HasForeignKey(c => c.EventId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class CodeUseConfiguration : IEntityTypeConfiguration<CodeUse>
{
    public void Configure(EntityTypeBuilder<CodeUse> b)
    {
        b.HasIndex(u => new { u.CodeId, u.OrderId }).IsUnique();
        b.HasIndex(u => new { u.CodeId, u.UserId });
        b.HasIndex(u => u.OrderId);
        b.HasOne<EventCode>().WithMany().HasForeignKey(u => u.CodeId).OnDelete(DeleteBehavior.Cascade);
    }
}
