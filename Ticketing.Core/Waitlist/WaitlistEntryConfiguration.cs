using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.Waitlist;

public sealed class WaitlistEntryConfiguration : IEntityTypeConfiguration<WaitlistEntry>
{
    public void Configure(EntityTypeBuilder<WaitlistEntry> b)
    {
        // One entry per account and category.
        b.HasIndex(e => new { e.CategoryId, e.UserId }).IsUnique();
        // The line: the waiting fans of a category in arrival order.
        b.HasIndex(e => new { e.CategoryId, e.Status, e.CreatedAt });
        b.HasIndex(e => e.OfferOrderId).IsUnique();
        b.HasIndex(e => new { e.UserId, e.PerformanceId });
    }
}
