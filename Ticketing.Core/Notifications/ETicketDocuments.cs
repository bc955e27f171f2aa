using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Ticketing.Core.Common;
using Ticketing.Core.Persistence;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Notifications;

public sealed record PdfFile(byte[] Content, string FileName);

/// <summary>
/// E-ticket PDFs (one page per ticket) for the confirmation mail and the download endpoints. Access: the ticket holder
/// or buyer, the event's owner, an Admin; anyone else gets "not found" (never reveal another user's tickets).
/// </summary>
public sealed class ETicketDocuments(
    IDbContextFactory<TicketingDbContext> dbFactory,
    TicketPdfRenderer renderer,
    TicketCodeSigner codes,
    IStringLocalizer<SharedResource> localizer)
{
    public async Task<PdfFile> ForTicketAsync(Guid ticketId, Guid userId, bool isAdmin, CultureInfo culture, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var ticket = await db.Tickets.AsNoTracking().FirstOrDefaultAsync(t => t.Id == ticketId, ct);
        if (ticket is null || ticket.Status == TicketStatus.Voided) throw new NotFoundException(localizer["Error.not_found"]);
        var ownerId = await db.Events.Where(e => e.Id == ticket.EventId).Select(e => (Guid?)e.OwnerId).FirstOrDefaultAsync(ct);
        if (!isAdmin && ownerId != userId && !(await TicketHolder.LoadAsync(db, userId, ct)).Holds(ticket))
            throw new NotFoundException(localizer["Error.not_found"]);
        var snapshot = await OrderSnapshot.LoadAsync(db, ticket.OrderId, ct) ?? throw new NotFoundException(localizer["Error.not_found"]);
        var pdf = await RenderAsync(snapshot, [ticket], culture, ct);
        return new PdfFile(pdf, $"ticket-{FileSafe(ticket.Number)}.pdf");
    }

    public async Task<PdfFile> ForOrderAsync(Guid orderId, Guid userId, bool isAdmin, CultureInfo culture, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var snapshot = await OrderSnapshot.LoadAsync(db, orderId, ct);
        if (snapshot is null || (!isAdmin && snapshot.Order.UserId != userId && snapshot.Event.OwnerId != userId
                                 && !(Guests.GuestKey.Is(snapshot.Order.UserId) && (await TicketHolder.LoadAsync(db, userId, ct)).GuestId == snapshot.Order.UserId)))
            throw new NotFoundException(localizer["Error.not_found"]);
        // A ticket the buyer passed on is the recipient's (its own mail and PDF): not in the buyer's order PDF.
        var buyerView = !isAdmin && snapshot.Event.OwnerId != userId;
        var valid = snapshot.Tickets.Where(t => t.Status != TicketStatus.Voided && (!buyerView || t.TransferredFromId == null)).ToList();
        if (valid.Count == 0) throw new NotFoundException(localizer["Error.not_found"]);
        var pdf = await RenderAsync(snapshot, valid, culture, ct);
        return new PdfFile(pdf, $"tickets-{snapshot.Reference}.pdf");
    }

    /// <summary>Renders the given tickets of an order with labels in <paramref name="culture"/>.</summary>
    public async Task<byte[]> RenderAsync(OrderSnapshot snapshot, IReadOnlyList<Ticket> tickets, CultureInfo culture, CancellationToken ct = default)
    {
        var models = new List<TicketPdfModel>(tickets.Count);
        foreach (var t in tickets)
        {
            var seat = CultureScope.Run(culture, () => Seating.SeatText.Line(localizer, t.SeatSection, t.SeatRow, t.SeatLabel));
            models.Add(new TicketPdfModel(t.Number, codes.Sign(t.Id, t.PerformanceId), snapshot.Event.Title, snapshot.Event.Artist,
                snapshot.Performance.StartsAt, snapshot.Performance.TimeZoneId, snapshot.Performance.VenueName,
                snapshot.Performance.City, snapshot.Performance.Address, t.CategoryName, t.HolderName,
                Money.Format(t.PriceMinor, t.Currency, culture), snapshot.Reference, seat));
        }
        var labels = CultureScope.Run(culture, () => new TicketPdfLabels(
            localizer["TicketPdf.Ticket"], localizer["TicketPdf.Date"], localizer["TicketPdf.Venue"], localizer["TicketPdf.Category"],
            localizer["TicketPdf.Holder"], localizer["TicketPdf.Number"], localizer["TicketPdf.Price"], localizer["TicketPdf.Order"],
            localizer["TicketPdf.Footer"], localizer["TicketPdf.Seat"]));
        return renderer.Render(models, labels, culture);
    }

    private static string FileSafe(string s) => new(s.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '_').ToArray());
}
