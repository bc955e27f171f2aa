using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.WaitingRoom;

public sealed class QueueEntryConfiguration : IEntityTypeConfiguration<QueueEntry>
{
    public void Configure(EntityTypeBuilder<QueueEntry> b)
    {
        b.ToTable("QueueEntries");
        b.Property(e => e.Id).ValueGeneratedNever();
        b.HasOne<PerformanceQueue>().WithMany().HasForeignKey(e => e.PerformanceId).OnDelete(DeleteBehavior.Cascade);
        // One entry per account and performance: joining twice (even in parallel) gives back the same entry.
        b.HasIndex(e => new { e.PerformanceId, e.UserId }).IsUnique();
        // One fan per place (unplaced pre-queue entries have none yet: NULLs never collide).
        b.HasIndex(e => new { e.PerformanceId, e.Position }).IsUnique();
    }
}
