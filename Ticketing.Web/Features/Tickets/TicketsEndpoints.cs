using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Core.Common;
using Ticketing.Core.Tickets;
using Ticketing.Web.Http;

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

        tickets.MapPost("/{id:guid}/transfer", async Task<Ok<TicketTransferDto>> (Guid id, TransferTicketRequest request, ClaimsPrincipal me,
                TicketTransferService service, CancellationToken ct) =>
                TypedResults.Ok(await service.TransferAsync(id, me.UserId(), request, ct)))
            .WithName("TransferTicket").WithSummary("Pass a ticket on to someone by email (its holder)")
            .WithDescription("The old code is Voided at once (it scans as Voided); a new ticket with a new code and number is issued to the "
                + "recipient and mailed to them with its PDF; they see it in their tickets once signed in with that (confirmed) address. "
                + "Refused for a scanned ticket (409 ticket_used), a voided or refunded one (409 ticket_voided), and when the event's "
                + "rule forbids it (409 ticket_not_transferable, transfer_limit_reached). Parallel transfers of one ticket re-issue it once.")
            .ProducesValidationProblem().ProducesProblems(404, 409)
            .ProducesProblemCodes(ErrorCodes.TicketUsed, ErrorCodes.TicketVoided, ErrorCodes.TicketNotTransferable, ErrorCodes.TransferLimitReached);

        var rule = app.MapGroup("/api/events/{id:guid}/transfer-rule").WithTags("Events")
            .RequireApiAuth(Ticketing.Core.Accounts.Roles.Organizer, Ticketing.Core.Accounts.Roles.Admin)
            .ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);
        rule.MapGet("", async Task<Ok<TransferRuleDto>> (Guid id, ClaimsPrincipal me, TicketTransferService service, CancellationToken ct) =>
                TypedResults.Ok(await service.GetRuleAsync(id, Actor.From(me), ct)))
            .WithName("GetTransferRule").WithSummary("The event's ticket transfer rule (event owner or Admin)");
        rule.MapPut("", async Task<Ok<TransferRuleDto>> (Guid id, TransferRuleDto request, ClaimsPrincipal me, TicketTransferService service, CancellationToken ct) =>
                TypedResults.Ok(await service.SetRuleAsync(id, Actor.From(me), request, ct)))
            .WithName("SetTransferRule").WithSummary("Set whether tickets may be transferred and how many times per ticket (event owner or Admin)")
            .WithDescription("transferable: false makes the event's tickets not transferable; maxTransfersPerTicket (1-100, null: no limit) "
                + "counts the transfers of one seat's ticket, the re-issued ones included.")
            .ProducesValidationProblem();
    }
}
