using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.Resale;

public sealed class ResaleListingConfiguration : IEntityTypeConfiguration<ResaleListing>
{
    public void Configure(EntityTypeBuilder<ResaleListing> b)
    {
        b.Property(l => l.CategoryName).HasMaxLength(100);
        b.Property(l => l.Currency).HasMaxLength(3);
        // One open listing per ticket: a second one cannot be written while the first is on sale or held.
        b.HasIndex(l => l.TicketId, "IX_ResaleListings_TicketId_Open").IsUnique().HasFilter("\"Status\" IN ('Active', 'Held')");
        // One buyer order per listing, one sale per listing.
        b.HasIndex(l => l.BuyerOrderId).IsUnique();
        b.HasIndex(l => new { l.PerformanceId, l.Status });
        b.HasIndex(l => new { l.SellerId, l.CreatedAt });
    }
}
