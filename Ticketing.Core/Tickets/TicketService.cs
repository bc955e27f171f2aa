using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Ticketing.Core.Common;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Tickets;

/// <summary>Reading tickets: the holder's list, one ticket with its signed code, its QR image.</summary>
public sealed class TicketService(
    IDbContextFactory<TicketingDbContext> dbFactory,
    TicketCodeSigner signer,
    IStringLocalizer<SharedResource> localizer)
{
    public async Task<PagedResult<TicketSummaryDto>> ListOwnAsync(Guid userId, PageRequest page, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Own tickets and the ones received (a transfer or a comp sent to this account's confirmed address).
        var holder = await TicketHolder.LoadAsync(db, userId, ct);
        var query = holder.Filter(db.Tickets.AsNoTracking());
        var total = await query.CountAsync(ct);
        var rows = await (from t in query
                          join p in db.Performances on t.PerformanceId equals p.Id
                          join e in db.Events on p.EventId equals e.Id
                          orderby p.StartsAt descending, t.Sequence
                          select new { t, p.StartsAt, p.VenueName, p.City, e.Title })
            .Skip(page.Skip).Take(page.PageSize).ToListAsync(ct);
        var items = rows.Select(r => new TicketSummaryDto(r.t.Id, r.t.Number, r.Title, r.StartsAt, r.VenueName, r.City, r.t.CategoryName,
            r.t.HolderName, r.t.Status.ToString(), r.t.OrderId, r.t.PerformanceId, Money.ToDecimal(r.t.PriceMinor), r.t.Currency,
            r.t.TransferredFromId != null || (r.t.HolderEmail != null && r.t.UserId != userId), r.t.TransferredToId != null,
            Seating.SeatText.Ref(r.t.SeatId, r.t.SeatSection, r.t.SeatRow, r.t.SeatLabel))).ToList();
        return new PagedResult<TicketSummaryDto>(items, page.Page, page.PageSize, total);
    }

    /// <summary>The holder, the event's owner and an Admin see a ticket; anyone else gets 404.</summary>
    public async Task<TicketDetailDto> GetAsync(Guid ticketId, Guid userId, bool isAdmin, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await (from t in db.Tickets.AsNoTracking()
                         join p in db.Performances on t.PerformanceId equals p.Id
                         join e in db.Events on p.EventId equals e.Id
                         where t.Id == ticketId
                         select new { t, p.StartsAt, p.VenueName, p.City, e.Title, e.OwnerId }).FirstOrDefaultAsync(ct);
        if (row is null || (row.OwnerId != userId && !isAdmin && !(await TicketHolder.LoadAsync(db, userId, ct)).Holds(row.t)))
            throw new NotFoundException(localizer["Error.not_found"]);
        await signer.InitializeAsync(ct);
        var ticket = row.t;
        return new TicketDetailDto(ticket.Id, ticket.Number, row.Title, row.StartsAt, row.VenueName, row.City, ticket.CategoryName,
            ticket.HolderName, ticket.Status.ToString(), ticket.OrderId, ticket.PerformanceId, ticket.UserId,
            Money.ToDecimal(ticket.PriceMinor), ticket.Currency, signer.Sign(ticket.Id, ticket.PerformanceId),
            Seating.SeatText.Ref(ticket.SeatId, ticket.SeatSection, ticket.SeatRow, ticket.SeatLabel));
    }

    public async Task<byte[]> GetQrPngAsync(Guid ticketId, Guid userId, bool isAdmin, CancellationToken ct = default)
    {
        var ticket = await GetAsync(ticketId, userId, isAdmin, ct);
        return TicketQrCode.CreatePng(ticket.Code, 8);
    }

    /// <summary>The QR PNG as a data URL, for pages that show a ticket inline.</summary>
    public static string ToDataUrl(byte[] png) => "data:image/png;base64," + Convert.ToBase64String(png);
}
