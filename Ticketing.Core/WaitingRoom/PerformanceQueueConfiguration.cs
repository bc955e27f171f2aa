using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.WaitingRoom;

public sealed class PerformanceQueueConfiguration : IEntityTypeConfiguration<PerformanceQueue>
{
    public void Configure(EntityTypeBuilder<PerformanceQueue> b)
    {
        b.ToTable("PerformanceQueues");
        b.HasKey(q => q.PerformanceId);
        b.Property(q => q.PerformanceId).ValueGeneratedNever();
        b.Property(q => q.Seed).HasMaxLength(64);
        b.Property(q => q.Commitment).HasMaxLength(64);
        b.Property(q => q.RateSchedule).HasMaxLength(4000); // at most AdmissionSchedule.MaxSegments segments of ~30 characters
        b.Ignore(q => q.ParsedSchedule);
        b.HasOne<Events.Performance>().WithMany().HasForeignKey(q => q.PerformanceId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(q => q.EventId);
    }
}
