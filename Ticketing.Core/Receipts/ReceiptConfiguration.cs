using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.Receipts;

public sealed class ReceiptConfiguration : IEntityTypeConfiguration<Receipt>
{
    public void Configure(EntityTypeBuilder<Receipt> b)
    {
        b.Property(r => r.Number).HasMaxLength(20);
        b.Property(r => r.Currency).HasMaxLength(3);
        b.Property(r => r.VatBreakdown).HasMaxLength(400);
        b.Property(r => r.BuyerName).HasMaxLength(200);
        b.Property(r => r.Method).HasMaxLength(32);
        b.Property(r => r.CorrectsNumber).HasMaxLength(20);
        // The database guarantees that a number is never given twice.
        b.HasIndex(r => new { r.OrganizerId, r.Kind, r.Year, r.Sequence }).IsUnique();
        b.HasIndex(r => new { r.OrganizerId, r.IssuedAt });
        b.HasIndex(r => r.OrderId);
    }
}

public sealed class ReceiptCounterConfiguration : IEntityTypeConfiguration<ReceiptCounter>
{
    public void Configure(EntityTypeBuilder<ReceiptCounter> b)
    {
        b.HasKey(c => new { c.OrganizerId, c.Year, c.Kind });
    }
}
