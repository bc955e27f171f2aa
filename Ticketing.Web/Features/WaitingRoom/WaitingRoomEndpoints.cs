using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Core.Common;
using Ticketing.Core.WaitingRoom;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.WaitingRoom;

public static class WaitingRoomEndpoints
{
    public static void MapWaitingRoomEndpoints(this WebApplication app)
    {
        var performances = app.MapGroup("/api/performances/{id:guid}/queue").WithTags("Waiting room");

        performances.MapPost("", async Task<Results<Created<QueueEntryDto>, Ok<QueueEntryDto>>> (Guid id, ClaimsPrincipal me, WaitingRoomService rooms, CancellationToken ct) =>
            {
                var (entry, created) = await rooms.JoinAsync(me.UserId(), id, ct);
                return created ? TypedResults.Created($"/api/queue/{entry.EntryId}", entry) : TypedResults.Ok(entry);
            })
            .RequireApiAuth().ProducesProblem(401)
            .WithName("JoinQueue")
            .WithSummary("Join a performance's waiting room: 201 the first time, 200 with the same entry (and place) afterwards")
            .WithDescription("Fans who join before the opening are in the pre-queue: their places are drawn at the opening (rank of "
                + "SHA-256(seed ‖ entry id), see the fairness endpoint); later fans join behind in arrival order. One entry per account. "
                + "When admitted, the answer carries `admissionToken` for the `Admission-Token` header of POST /api/orders. "
                + "409 waiting_room_disabled when the performance has no waiting room on.")
            .ProducesProblems(404, 409).ProducesProblemCodes(ErrorCodes.WaitingRoomDisabled);

        performances.MapGet("/fairness", async Task<Ok<QueueFairnessDto>> (Guid id, WaitingRoomService rooms, CancellationToken ct) =>
                TypedResults.Ok(await rooms.FairnessAsync(id, ct)))
            .WithName("GetQueueFairness")
            .WithSummary("The draw's commitment (hex SHA-256 of the seed bytes) before the opening; the seed too after it")
            .WithDescription("Anyone. Pre-queue places are the ranks, in ascending order, of hex SHA-256(seed bytes ‖ UTF-8 of the entry id "
                + "in lower-case 8-4-4-4-12 form). Check that SHA-256(seed) equals the commitment published before the opening, then "
                + "compare with GET /api/performances/{id}/queue/fairness/order.")
            .ProducesProblems(404);

        performances.MapGet("/fairness/order", async Task<Ok<PagedResult<QueuePlaceDto>>> (Guid id, int? page, int? pageSize, WaitingRoomService rooms, CancellationToken ct) =>
                TypedResults.Ok(await rooms.OrderAsync(id, PageRequest.Create(page, pageSize), ct)))
            .WithName("GetQueueOrder")
            .WithSummary("The places after the opening, first place first (paged): entry ids only, nothing about the accounts")
            .ProducesProblems(404);

        performances.MapGet("/settings", async Task<Ok<QueueSettingsDto>> (Guid id, ClaimsPrincipal me, WaitingRoomService rooms, CancellationToken ct) =>
                TypedResults.Ok(await rooms.GetSettingsAsync(id, Actor.From(me), ct)))
            .RequireApiAuth("Organizer", "Admin").ProducesProblem(401)
            .WithName("GetQueueSettings").WithSummary("The waiting room's settings, how many joined and how many are admitted (owner, Admin)")
            .ProducesProblems(403, 404);

        performances.MapPut("/settings", async Task<Ok<QueueSettingsDto>> (Guid id, QueueSettingsRequest request, ClaimsPrincipal me, WaitingRoomService rooms, CancellationToken ct) =>
                TypedResults.Ok(await rooms.ConfigureAsync(id, Actor.From(me), request, ct)))
            .RequireApiAuth("Organizer", "Admin").ProducesProblem(401)
            .WithName("ConfigureQueue")
            .WithSummary("Switch a performance's waiting room on or off, with its admission rate (fans per minute) and opening")
            .WithDescription("`opensAt` defaults to the performance's salesOpenAt (set them alike); it cannot move once passed. The seed is "
                + "drawn the first time and its commitment published at once.")
            .ProducesValidationProblem().ProducesProblems(403, 404);

        app.MapGroup("/api/queue").WithTags("Waiting room")
            .MapGet("/{entryId:guid}", async Task<Ok<QueueEntryDto>> (Guid entryId, ClaimsPrincipal me, HttpContext http, WaitingRoomService rooms, CancellationToken ct) =>
            {
                http.Response.Headers.CacheControl = "private, no-store";
                return TypedResults.Ok(await rooms.StatusAsync(entryId, me.UserId(), ct));
            })
            .WithMetadata(QueueStatusFastPath.Metadata)
            .RequireApiAuth().ProducesProblem(401)
            .WithName("GetQueueEntry")
            .WithSummary("The fan's place: status, position, people ahead, estimated wait, and the admission token once admitted")
            .WithDescription("Only the entry's account (another's is 404). Answered from memory for `WaitingRoom:CacheMilliseconds`: the "
                + "waiting page polls it.")
            .ProducesProblems(404);
    }
}
