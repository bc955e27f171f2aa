using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Comps;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Comps;

/// <summary>Complimentary tickets for named guests, from a quota per performance and category (event owner or Admin).</summary>
public static class CompsEndpoints
{
    public static void MapCompsEndpoints(this WebApplication app)
    {
        var events = app.MapGroup("/api/events/{id:guid}").WithTags("Events").RequireApiAuth(Roles.Organizer, Roles.Admin)
            .ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);

        events.MapPost("/comps", async Task<Created<CompDto>> (Guid id, IssueCompRequest request, ClaimsPrincipal user, CompService service, CancellationToken ct) =>
            {
                var comp = await service.IssueAsync(id, Actor.From(user), request, ct);
                return TypedResults.Created($"/api/events/{id}/comps/{comp.Id}", comp);
            })
            .WithName("IssueComps")
            .WithSummary("Issue complimentary tickets to a named guest (press, staff, artists)")
            .WithDescription("Zero-price tickets of one category, counted against the category's comp quota (409 comp_quota_exceeded with "
                + "remaining) and its capacity (409 sold_out / insufficient_availability): neither is ever exceeded, even in parallel. The "
                + "guest gets the tickets by mail (PDF) and sees them in their tickets once signed in with that (confirmed) address; the sales "
                + "report counts them apart (comps). quantity 1-50; language (en/fr) for a guest without an account.")
            .Produces<CompDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblems(409)
            .ProducesProblemCodes(ErrorCodes.CompQuotaExceeded, ErrorCodes.SoldOut, ErrorCodes.InsufficientAvailability, ErrorCodes.EventCancelled);

        events.MapPost("/comps/{compId:guid}/cancel", async Task<Ok<CompDto>> (Guid id, Guid compId, ClaimsPrincipal user, CompService service,
                CancellationToken ct) => TypedResults.Ok(await service.CancelAsync(id, compId, Actor.From(user), ct)))
            .WithName("CancelComps")
            .WithSummary("Cancel complimentary tickets: voided, seats back on sale, quota given back, the guest told")
            .WithDescription("Every ticket of the comp is voided in one transaction with its seats' return and the quota's give-back (two "
                + "cancellations at once cancel once); the guest gets a \"tickets cancelled\" mail in their language. A scanned ticket: 409 "
                + "ticket_used; already cancelled: 409 order_not_refundable; another event's comp: 404.")
            .ProducesProblems(409)
            .ProducesProblemCodes(ErrorCodes.TicketUsed, ErrorCodes.OrderNotRefundable);

        events.MapGet("/comps", async Task<Ok<PagedResult<CompDto>>> (Guid id, int? page, int? pageSize, ClaimsPrincipal user, CompService service,
                CancellationToken ct) => TypedResults.Ok(await service.ListAsync(id, Actor.From(user), PageRequest.Create(page, pageSize), ct)))
            .WithName("ListComps").WithSummary("The event's complimentary tickets, newest first (paged)");

        events.MapGet("/comp-quotas", async Task<Ok<IReadOnlyList<CompQuotaDto>>> (Guid id, ClaimsPrincipal user, CompService service, CancellationToken ct) =>
                TypedResults.Ok(await service.ListQuotasAsync(id, Actor.From(user), ct)))
            .WithName("ListCompQuotas").WithSummary("The comp quota of every category of every performance, with issued and remaining");

        events.MapPut("/comp-quotas", async Task<Ok<CompQuotaDto>> (Guid id, SetCompQuotaRequest request, ClaimsPrincipal user, CompService service,
                CancellationToken ct) => TypedResults.Ok(await service.SetQuotaAsync(id, Actor.From(user), request, ct)))
            .WithName("SetCompQuota").WithSummary("Set the comp quota of one category of one performance (never below what is issued)")
            .ProducesValidationProblem();
    }
}
