using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.Orders;

public sealed class AccountHoldGuardConfiguration : IEntityTypeConfiguration<AccountHoldGuard>
{
    public void Configure(EntityTypeBuilder<AccountHoldGuard> b)
    {
        b.HasKey(g => g.UserId);
        b.Property(g => g.UserId).ValueGeneratedNever();
    }
}
