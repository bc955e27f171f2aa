using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Quartz;
using Ticketing.Core.Common;
using Ticketing.Core.Waitlist;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Waitlist;

public static class WaitlistEndpoints
{
    public static void MapWaitlistEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/performances/{id:guid}/waitlist").WithTags("Waiting list").RequireApiAuth().ProducesProblem(401);
        group.MapPost("", async Task<Results<Created<WaitlistEntryDto>, Ok<WaitlistEntryDto>>> (Guid id, JoinWaitlistRequest request, ClaimsPrincipal me,
                WaitlistService waitlist, CancellationToken ct) =>
            {
                var (entry, created) = await waitlist.JoinAsync(me.UserId(), id, request, ct);
                return created ? TypedResults.Created($"/api/performances/{id}/waitlist", entry) : TypedResults.Ok(entry);
            })
            .WithName("JoinWaitlist").WithSummary("Join the waiting list of a sold-out category with a quantity: 201, or 200 with the same entry")
            .WithDescription("`{categoryId, quantity}`. One entry per account and category; the answer carries the fan's `position` (1 = next). "
                + "Seats that come back are offered in order: the fan's seats are held by an order (`offerOrderId`, until `offerExpiresAt`, "
                + "`Waitlist:OfferMinutes`) and a mail links to its checkout; an offer not paid in time goes to the next fan. "
                + "The line comes first, in the database: the public may hold only Capacity − Sold − Held − (seats wanted by the waiting entries), "
                + "so returned seats the line wants are never on public sale. "
                + "409 waitlist_not_sold_out while the public could still hold the quantity asked for.")
            .ProducesValidationProblem().ProducesProblems(404, 409).ProducesProblemCodes(ErrorCodes.WaitlistNotSoldOut);
        group.MapGet("", async Task<Ok<IReadOnlyList<WaitlistEntryDto>>> (Guid id, ClaimsPrincipal me, WaitlistService waitlist, CancellationToken ct) =>
                TypedResults.Ok(await waitlist.GetOwnAsync(me.UserId(), id, ct)))
            .WithName("GetOwnWaitlistEntries").WithSummary("The caller's entries for the performance, with their place").ProducesProblems(404);
        group.MapDelete("/{entryId:guid}", async Task<NoContent> (Guid id, Guid entryId, ClaimsPrincipal me, WaitlistService waitlist, CancellationToken ct) =>
            {
                await waitlist.LeaveAsync(entryId, me.UserId(), ct);
                return TypedResults.NoContent();
            })
            .WithName("LeaveWaitlist").WithSummary("Leave the waiting list (a waiting entry)").ProducesProblems(404);
    }
}

/// <summary>Every ~15 s: offers not paid in time go to the next fan, and seats back on sale are offered to the waiting lists.</summary>
[DisallowConcurrentExecution]
public sealed class WaitlistOfferJob(WaitlistService waitlist) : IJob
{
    public const string Cron = "5/15 * * * * ?";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
        await waitlist.OfferAsync(cancellationToken);
}
