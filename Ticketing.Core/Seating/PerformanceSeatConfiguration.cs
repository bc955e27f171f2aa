using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ticketing.Core.Events;

namespace Ticketing.Core.Seating;

public sealed class PerformanceSeatConfiguration : IEntityTypeConfiguration<PerformanceSeat>
{
    public void Configure(EntityTypeBuilder<PerformanceSeat> b)
    {
        b.Property(s => s.Section).HasMaxLength(SeatingRules.MaxNameLength);
        b.Property(s => s.Row).HasMaxLength(SeatingRules.MaxLabelLength);
        b.Property(s => s.Label).HasMaxLength(SeatingRules.MaxLabelLength);
        b.HasOne<Performance>().WithMany().HasForeignKey(s => s.PerformanceId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(s => new { s.PerformanceId, s.Ordinal }).IsUnique();
        b.HasIndex(s => new { s.PerformanceId, s.PlanSeatId }).IsUnique();
        b.HasIndex(s => s.OrderId);
        // A seat has an order exactly when it is Held or Sold.
        b.ToTable(t => t.HasCheckConstraint("CK_PerformanceSeats_Order",
            "(\"Status\" IN ('Held', 'Sold') AND \"OrderId\" IS NOT NULL) OR (\"Status\" IN ('Available', 'Blocked') AND \"OrderId\" IS NULL)"));
    }
}
