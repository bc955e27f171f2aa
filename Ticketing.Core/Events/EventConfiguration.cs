using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.Events;

public sealed class EventConfiguration : IEntityTypeConfiguration<Event>
{
    public void Configure(EntityTypeBuilder<Event> b)
    {
        b.Property(e => e.Title).HasMaxLength(200);
        b.Property(e => e.Description).HasMaxLength(8000);
        b.Property(e => e.DescriptionFr).HasMaxLength(8000);
        b.Property(e => e.Artist).HasMaxLength(200);
        b.Property(e => e.ImageUrl).HasMaxLength(500);
        b.Property(e => e.SearchText).HasMaxLength(Event.SearchTextMaxLength);
        b.HasIndex(e => new { e.Status, e.Category });
        b.HasIndex(e => e.OwnerId);
        b.HasMany(e => e.Performances).WithOne(p => p.Event).HasForeignKey(p => p.EventId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class PerformanceConfiguration : IEntityTypeConfiguration<Performance>
{
    public void Configure(EntityTypeBuilder<Performance> b)
    {
        b.Property(p => p.VenueName).HasMaxLength(200);
        b.Property(p => p.City).HasMaxLength(120);
        b.Property(p => p.CityKey).HasMaxLength(120);
        b.HasIndex(p => p.CityKey);
        b.Property(p => p.Address).HasMaxLength(300);
        b.Property(p => p.Country).HasMaxLength(2);
        b.Property(p => p.TimeZoneId).HasMaxLength(64);
        b.Property(p => p.TicketPrefix).HasMaxLength(16);
        b.HasIndex(p => p.StartsAt);
        b.HasMany(p => p.Categories).WithOne(c => c.Performance).HasForeignKey(c => c.PerformanceId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class PriceCategoryConfiguration : IEntityTypeConfiguration<PriceCategory>
{
    public void Configure(EntityTypeBuilder<PriceCategory> b)
    {
        b.Property(c => c.Name).HasMaxLength(100);
        b.Property(c => c.Currency).HasMaxLength(3);
        b.Ignore(c => c.Available);
        // The last line of defence: no update can ever oversell, whatever the code does.
        b.ToTable(t =>
        {
            t.HasCheckConstraint("CK_PriceCategories_Counters", "\"Sold\" >= 0 AND \"Held\" >= 0 AND \"Sold\" + \"Held\" <= \"Capacity\"");
            t.HasCheckConstraint("CK_PriceCategories_Price", "\"PriceMinor\" >= 0");
            t.HasCheckConstraint("CK_PriceCategories_WaitlistSeats", "\"WaitlistSeats\" >= 0");
        });
    }
}
