using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.Seating;

public sealed class SeatingPlanConfiguration : IEntityTypeConfiguration<SeatingPlan>
{
    public void Configure(EntityTypeBuilder<SeatingPlan> b)
    {
        b.Property(p => p.Name).HasMaxLength(200);
        b.HasIndex(p => p.OwnerId);
        b.HasMany(p => p.Seats).WithOne().HasForeignKey(s => s.PlanId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(p => p.StandingZones).WithOne().HasForeignKey(z => z.PlanId).OnDelete(DeleteBehavior.Cascade);
    }
}
