using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.Persistence;

/// <summary>
/// The ASP.NET Core Data Protection key ring, shared by every instance through the database (so that a cookie or an
/// antiforgery token issued by one instance is read by any other). A key's XML is about 1 KB: it must not inherit the
/// 400-character convention of the model's strings, or persisting the first key fails and each instance silently
/// falls back to a key of its own.
/// </summary>
public sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder)
    {
        builder.ToTable("DataProtectionKeys");
        builder.Property(k => k.Xml).Metadata.SetMaxLength(null);
        builder.Property(k => k.FriendlyName).HasMaxLength(200);
    }
}
