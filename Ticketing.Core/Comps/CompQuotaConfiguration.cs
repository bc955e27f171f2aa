using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.Comps;

public sealed class CompQuotaConfiguration : IEntityTypeConfiguration<CompQuota>
{
    public void Configure(EntityTypeBuilder<CompQuota> b)
    {
        b.HasIndex(q => q.CategoryId).IsUnique();
        b.HasIndex(q => q.EventId);
        b.ToTable(t => t.HasCheckConstraint("CK_CompQuotas_Issued", "\"Issued\" >= 0 AND \"Issued\" <= \"Quota\""));
    }
}
