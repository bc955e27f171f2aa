using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.Seating;

public sealed class StandingZoneConfiguration : IEntityTypeConfiguration<StandingZone>
{
    public void Configure(EntityTypeBuilder<StandingZone> b)
    {
        b.Property(z => z.Name).HasMaxLength(SeatingRules.MaxNameLength);
        b.Property(z => z.Category).HasMaxLength(100);
        b.HasIndex(z => new { z.PlanId, z.Ordinal });
    }
}
