using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.Accounts;

public sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> b)
    {
        b.Property(u => u.DisplayName).HasMaxLength(200);
        b.Property(u => u.PreferredLanguage).HasMaxLength(8);
        b.Property(u => u.PhoneNumber).HasMaxLength(32);
        b.HasIndex(u => u.NormalizedEmail).IsUnique();
    }
}
