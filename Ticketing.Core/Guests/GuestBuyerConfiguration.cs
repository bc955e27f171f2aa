using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Ticketing.Core.Orders;

namespace Ticketing.Core.Guests;

public sealed class GuestBuyerConfiguration : IEntityTypeConfiguration<GuestBuyer>
{
    public void Configure(EntityTypeBuilder<GuestBuyer> b)
    {
        b.ToTable("GuestOrders");
        b.HasKey(g => g.OrderId);
        b.Property(g => g.Email).HasMaxLength(256);
        b.Property(g => g.NormalizedEmail).HasMaxLength(256);
        b.Property(g => g.Language).HasMaxLength(8);
        // The caps of an account read the guest orders of its address; a later account finds its past guest orders.
        b.HasIndex(g => g.NormalizedEmail);
        b.HasOne<Order>().WithOne(o => o.Guest).HasForeignKey<GuestBuyer>(g => g.OrderId).OnDelete(DeleteBehavior.Cascade);
    }
}
