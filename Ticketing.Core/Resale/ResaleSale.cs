using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Resale;

/// <summary>
/// The sale of a resale listing, inside the payment's transaction (<see cref="Payments.PaymentCommitter"/>, after the
/// order moved to Paid): the listing Held (by this order) -> Sold, the old ticket Valid -> Voided (and pointed at its
/// replacement), a new ticket (new id, hence a new code, and a new number) for the buyer. Each step is a conditional
/// UPDATE; the unique indexes on <see cref="Ticket.TransferredFromId"/> and <see cref="ResaleListing.BuyerOrderId"/> stand
/// behind them. No seat counter moves: the seat was sold once and stays sold.
/// </summary>
public static class ResaleSale
{
    /// <summary>The buyer's new ticket, or null when the listing or the old ticket moved meanwhile (the caller rolls back).</summary>
    public static async Task<Ticket?> CompleteAsync(TicketingDbContext db, Order order, string holder, string prefix, DateTimeOffset now,
        CancellationToken ct = default)
    {
        var listingId = order.ResaleListingId!.Value;
        var newId = Guid.CreateVersion7();
        var sold = await db.ResaleListings.Where(l => l.Id == listingId && l.Status == ResaleListingStatus.Held && l.BuyerOrderId == order.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Status, ResaleListingStatus.Sold).SetProperty(l => l.SoldAt, now)
                .SetProperty(l => l.NewTicketId, newId), ct);
        if (sold == 0) return null;
        var ticketId = await db.ResaleListings.Where(l => l.Id == listingId).Select(l => l.TicketId).FirstAsync(ct);
        var voided = await db.Tickets.Where(t => t.Id == ticketId && t.Status == TicketStatus.Valid && t.TransferredToId == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TicketStatus.Voided).SetProperty(t => t.VoidedAt, now)
                .SetProperty(t => t.TransferredToId, newId), ct);
        if (voided == 0) return null;
        var old = await db.Tickets.AsNoTracking().FirstAsync(t => t.Id == ticketId, ct);
        var last = (await db.Database.SqlQuery<int>(
                $"UPDATE \"Performances\" SET \"LastTicketNumber\" = \"LastTicketNumber\" + 1 WHERE \"Id\" = {order.PerformanceId} RETURNING \"LastTicketNumber\" AS \"Value\"")
            .ToListAsync(ct)).Single();
        var issued = new Ticket
        {
            Id = newId, OrderId = order.Id, UserId = order.UserId, EventId = old.EventId, PerformanceId = old.PerformanceId,
            CategoryId = old.CategoryId, CategoryName = old.CategoryName, HolderName = holder, PriceMinor = order.TotalMinor,
            Currency = old.Currency, Status = TicketStatus.Valid, IssuedAt = now, Sequence = last, Number = $"{prefix}-{last:D6}",
            TransferCount = old.TransferCount, TransferredFromId = old.Id,
            // Reserved seating: the buyer sits where the seller would have; the seat row now belongs to the buyer's order.
            SeatId = old.SeatId, SeatSection = old.SeatSection, SeatRow = old.SeatRow, SeatLabel = old.SeatLabel,
        };
        if (old.SeatId is { } seatId) await Inventory.SeatInventory.HandOverSeatAsync(db, seatId, order.Id, ct);
        db.Tickets.Add(issued);
        return issued;
    }
}
