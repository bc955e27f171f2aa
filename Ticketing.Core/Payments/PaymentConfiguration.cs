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
        // Never two charges in flight or approved for one order: the database decides between concurrent payers.
        b.HasIndex(p => p.OrderId, "IX_Payments_OrderId_Active").IsUnique().HasFilter("\"Status\" IN ('Pending', 'Approved')");
    }
}

public sealed class SimulatedChargeConfiguration : IEntityTypeConfiguration<SimulatedCharge>
{
    public void Configure(EntityTypeBuilder<SimulatedCharge> b)
    {
        b.HasKey(c => c.AttemptKey);
        b.Property(c => c.AttemptKey).HasMaxLength(100);
        b.HasIndex(c => c.OrderId);
        b.HasIndex(c => c.OrderId, "IX_SimulatedCharges_OrderId_Approved").IsUnique().HasFilter("\"Approved\" AND NOT \"Refunded\"");
        b.Property(c => c.Reference).HasMaxLength(64);
        b.Property(c => c.Brand).HasMaxLength(32);
        b.Property(c => c.Last4).HasMaxLength(4);
        b.Property(c => c.DeclineCode).HasMaxLength(64);
        b.Property(c => c.Currency).HasMaxLength(3);
    }
}
