using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.Comps;

public sealed class CompConfiguration : IEntityTypeConfiguration<Comp>
{
    public void Configure(EntityTypeBuilder<Comp> b)
    {
        b.Property(c => c.GuestName).HasMaxLength(200);
        b.Property(c => c.GuestEmail).HasMaxLength(256);
        b.Property(c => c.Note).HasMaxLength(500);
        b.HasIndex(c => new { c.EventId, c.IssuedAt });
        b.HasIndex(c => c.OrderId).IsUnique();
    }
}
