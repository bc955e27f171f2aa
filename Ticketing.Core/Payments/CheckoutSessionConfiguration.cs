using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.Payments;

public sealed class CheckoutSessionConfiguration : IEntityTypeConfiguration<CheckoutSession>
{
    public void Configure(EntityTypeBuilder<CheckoutSession> b)
    {
        b.HasKey(s => s.Id);
        b.Property(s => s.Id).HasMaxLength(255);
        b.Property(s => s.Provider).HasMaxLength(32);
        b.Property(s => s.Currency).HasMaxLength(3);
        b.Property(s => s.RedirectUrl).HasMaxLength(2048);
        b.HasIndex(s => s.OrderId);
        b.HasIndex(s => new { s.Status, s.CreatedAt });
        // One open hosted page per order: a second checkout call gets the same page back.
        b.HasIndex(s => s.OrderId, "IX_CheckoutSessions_OrderId_Open").IsUnique().HasFilter("\"Status\" = 'Open'");
    }
}
