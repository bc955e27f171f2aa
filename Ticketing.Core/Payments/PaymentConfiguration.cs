using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.Payments;

public sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> b)
    {
        b.Property(p => p.Provider).HasMaxLength(32);
        b.Property(p => p.Currency).HasMaxLength(3);
        b.Property(p => p.CardBrand).HasMaxLength(32);
        b.Property(p => p.CardLast4).HasMaxLength(4);
        b.Property(p => p.GatewayReference).HasMaxLength(200);
        b.Property(p => p.RefundReference).HasMaxLength(200);
        b.Property(p => p.DeclineCode).HasMaxLength(64);
        b.HasIndex(p => p.OrderId);
        b.HasIndex(p => new { p.Status, p.CreatedAt });
    }
}

public sealed class SimulatedChargeConfiguration : IEntityTypeConfiguration<SimulatedCharge>
{
    public void Configure(EntityTypeBuilder<SimulatedCharge> b)
    {
        b.HasKey(c => c.OrderId);
        b.Property(c => c.Reference).HasMaxLength(64);
        b.Property(c => c.Brand).HasMaxLength(32);
        b.Property(c => c.Last4).HasMaxLength(4);
        b.Property(c => c.DeclineCode).HasMaxLength(64);
        b.Property(c => c.Currency).HasMaxLength(3);
    }
}
