using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.Seating;

public sealed class SeatingPlanSeatConfiguration : IEntityTypeConfiguration<SeatingPlanSeat>
{
    public void Configure(EntityTypeBuilder<SeatingPlanSeat> b)
    {
        b.Property(s => s.Section).HasMaxLength(SeatingRules.MaxNameLength);
        b.Property(s => s.Row).HasMaxLength(SeatingRules.MaxLabelLength);
        b.Property(s => s.Label).HasMaxLength(SeatingRules.MaxLabelLength);
        b.Property(s => s.Category).HasMaxLength(100);
        b.HasIndex(s => new { s.PlanId, s.Ordinal }).IsUnique();
        // The database refuses the same seat twice in a plan, whatever the validation said.
        b.HasIndex(s => new { s.PlanId, s.Section, s.Row, s.Label }).IsUnique();
    }
}
