using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.Orders;

public sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> b)
    {
        b.Property(o => o.Currency).HasMaxLength(3);
        b.Property(o => o.BuyerName).HasMaxLength(200);
        b.Property(o => o.PromoCode).HasMaxLength(Codes.EventCode.CodeMaxLength);
        b.Property(o => o.Version).IsConcurrencyToken();
        b.HasIndex(o => new { o.UserId, o.CreatedAt });
        b.HasIndex(o => new { o.Status, o.ExpiresAt });
        b.HasIndex(o => new { o.EventId, o.Status });
        b.HasMany(o => o.Items).WithOne().HasForeignKey(i => i.OrderId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed class OrderItemConfiguration : IEntityTypeConfiguration<OrderItem>
{
    public void Configure(EntityTypeBuilder<OrderItem> b)
    {
        b.Property(i => i.CategoryName).HasMaxLength(100);
        b.HasIndex(i => i.CategoryId);
        b.Ignore(i => i.UnitNetPriceMinor);
        b.Property(i => i.SeatSection).HasMaxLength(Seating.SeatingRules.MaxNameLength);
        b.Property(i => i.SeatRow).HasMaxLength(Seating.SeatingRules.MaxLabelLength);
        b.Property(i => i.SeatLabel).HasMaxLength(Seating.SeatingRules.MaxLabelLength);
    }
}

public sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.Property(r => r.Key).HasMaxLength(200);
        b.Property(r => r.Scope).HasMaxLength(100);
        b.Property(r => r.RequestHash).HasMaxLength(64);
        b.Property(r => r.ResponseJson).HasMaxLength(100_000);
        b.HasIndex(r => new { r.UserId, r.Scope, r.Key }).IsUnique();
        b.HasIndex(r => r.CreatedAt); // the retention purge
    }
}
