using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Core.Common;
using Ticketing.Core.Tickets;
using Ticketing.Web.Hosting;

namespace Ticketing.Web.Features.Tickets;

public static class TicketsEndpoints
{
    public static void MapTicketsEndpoints(this WebApplication app)
    {
        var tickets = app.MapGroup("/api/tickets").WithTags("Tickets").RequireApiAuth().ProducesProblem(401);

        tickets.MapGet("", async Task<Ok<PagedResult<TicketSummaryDto>>> (int? page, int? pageSize, ClaimsPrincipal me, TicketService service, CancellationToken ct) =>
                TypedResults.Ok(await service.ListOwnAsync(me.UserId(), PageRequest.Create(page, pageSize), ct)))
            .WithName("ListTickets").WithSummary("Own tickets");

        tickets.MapGet("/{id:guid}", async Task<Ok<TicketDetailDto>> (Guid id, ClaimsPrincipal me, TicketService service, CancellationToken ct) =>
                TypedResults.Ok(await service.GetAsync(id, me.UserId(), me.IsAdmin(), ct)))
            .WithName("GetTicket").WithSummary("One ticket with its signed code (holder, event owner, Admin)").ProducesProblems(404);

        tickets.MapGet("/{id:guid}/qr", async Task<FileContentHttpResult> (Guid id, ClaimsPrincipal me, TicketService service, HttpContext http, CancellationToken ct) =>
            {
                http.Response.Headers.CacheControl = "private, no-store";
                return TypedResults.File(await service.GetQrPngAsync(id, me.UserId(), me.IsAdmin(), ct), "image/png");
            })
            .WithName("GetTicketQr").WithSummary("The ticket's QR code as PNG").Produces(200, contentType: "image/png").ProducesProblems(404);
    }
}
