using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ticketing.Core.Tickets;

public sealed class TicketConfiguration : IEntityTypeConfiguration<Ticket>
{
    public void Configure(EntityTypeBuilder<Ticket> b)
    {
        b.Property(t => t.Number).HasMaxLength(32);
        b.Property(t => t.CategoryName).HasMaxLength(100);
        b.Property(t => t.HolderName).HasMaxLength(200);
        b.Property(t => t.SeatSection).HasMaxLength(Seating.SeatingRules.MaxNameLength);
        b.Property(t => t.SeatRow).HasMaxLength(Seating.SeatingRules.MaxLabelLength);
        b.Property(t => t.SeatLabel).HasMaxLength(Seating.SeatingRules.MaxLabelLength);
        b.Property(t => t.Currency).HasMaxLength(3);
        // Numbers are unique per performance (the sequence decides); two shows in one city on one day may share a prefix.
        b.HasIndex(t => new { t.PerformanceId, t.Number }).IsUnique();
        b.HasIndex(t => t.Number);
        b.HasIndex(t => new { t.PerformanceId, t.Sequence }).IsUnique();
        b.HasIndex(t => t.OrderId);
        b.HasIndex(t => t.AdmissionRecordedAt); // webhooks: the admissions recorded since the last scan (offline syncs included)
        b.HasIndex(t => new { t.UserId, t.IssuedAt });
        b.Property(t => t.HolderEmail).HasMaxLength(256);
        b.HasIndex(t => t.HolderEmail);
        // One transfer per voided ticket: a second re-issue of the same ticket cannot be written.
        b.HasIndex(t => t.TransferredFromId).IsUnique();
    }
}
