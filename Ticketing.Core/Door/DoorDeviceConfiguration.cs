using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.Door;

public sealed class DoorDeviceConfiguration : IEntityTypeConfiguration<DoorDevice>
{
    public void Configure(EntityTypeBuilder<DoorDevice> b)
    {
        b.Property(d => d.Name).HasMaxLength(DoorDevice.NameMaxLength);
        b.Property(d => d.Gate).HasMaxLength(DoorDevice.GateMaxLength);
        b.Property(d => d.PerformanceIds).HasMaxLength(2000);
        b.Property(d => d.TokenHash).HasMaxLength(64);
        b.Ignore(d => d.Performances);
        b.HasIndex(d => d.TokenHash).IsUnique();
        b.HasIndex(d => d.EventId);
    }
}
