using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Messages;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Messages;

/// <summary>Messages from the organizer to the holders of a performance's tickets (event owner or Admin; anyone else 404).</summary>
public static class MessagesEndpoints
{
    public static void MapMessagesEndpoints(this WebApplication app)
    {
        var events = app.MapGroup("/api/events/{id:guid}/messages").WithTags("Events").RequireApiAuth(Roles.Organizer, Roles.Admin)
            .ProducesProblem(401).ProducesProblem(403).ProducesProblem(404);

        events.MapGet("/recipients", async Task<Ok<RecipientCount>> (Guid id, Guid performanceId, Guid? categoryId, ClaimsPrincipal user,
                AttendeeMessageService service, CancellationToken ct) =>
                TypedResults.Ok(await service.CountAsync(id, Actor.From(user), performanceId, categoryId, ct)))
            .WithName("CountMessageRecipients")
            .WithSummary("How many addresses a message to this performance (or category) would reach, and in which language")
            .WithDescription("Holders of valid (or used) tickets of paid orders, guests and transfer recipients included when an address is "
                + "known; each address once.")
            .ProducesValidationProblem();

        events.MapPost("", async Task<Created<AttendeeMessageDto>> (Guid id, AttendeeMessageRequest request, ClaimsPrincipal user,
                AttendeeMessageService service, CancellationToken ct) =>
            {
                var message = await service.CreateDraftAsync(id, Actor.From(user), request, ct);
                return TypedResults.Created($"/api/events/{id}/messages/{message.Id}", message);
            })
            .WithName("DraftAttendeeMessage")
            .WithSummary("Write a message to the holders of a performance (or one category): a draft to preview, then send")
            .WithDescription("{performanceId, categoryId?, subjectEn, bodyEn, subjectFr, bodyFr}: each language whole (subject and body, "
                + "subject at most 200 characters, body 5000) or empty, at least one whole. Each reader gets their language, else the other.")
            .Produces<AttendeeMessageDto>(StatusCodes.Status201Created).ProducesValidationProblem();

        events.MapGet("/{messageId:guid}/preview", async Task<Ok<MessagePreview>> (Guid id, Guid messageId, ClaimsPrincipal user,
                AttendeeMessageService service, CancellationToken ct) =>
                TypedResults.Ok(await service.PreviewAsync(id, messageId, Actor.From(user), ct)))
            .WithName("PreviewAttendeeMessage")
            .WithSummary("The message as each language's readers will get it (subject, text, HTML) and the recipient count now");

        events.MapPost("/{messageId:guid}/send", async Task<Ok<AttendeeMessageDto>> (Guid id, Guid messageId, ClaimsPrincipal user,
                AttendeeMessageService service, CancellationToken ct) =>
                TypedResults.Ok(await service.SendAsync(id, messageId, Actor.From(user), ct)))
            .WithName("SendAttendeeMessage")
            .WithSummary("Send a draft through the outbox (with its retries): once, whatever the number of calls")
            .WithDescription("The first call turns the draft Sent and enqueues one mail per address; later calls (double click, retry) "
                + "answer the sent message and enqueue nothing.");

        events.MapGet("", async Task<Ok<PagedResult<AttendeeMessageDto>>> (Guid id, int? page, int? pageSize, ClaimsPrincipal user,
                AttendeeMessageService service, CancellationToken ct) =>
                TypedResults.Ok(await service.ListAsync(id, Actor.From(user), PageRequest.Create(page, pageSize), ct)))
            .WithName("ListAttendeeMessages").WithSummary("The messages sent for this event, newest first (paged), reschedule notices included");

        app.MapPost("/api/events/{id:guid}/performances/{performanceId:guid}/reschedule", async Task<Ok<RescheduleResult>> (Guid id, Guid performanceId,
                RescheduleRequest request, ClaimsPrincipal user, RescheduleService service, CancellationToken ct) =>
                TypedResults.Ok(await service.RescheduleAsync(id, performanceId, Actor.From(user), request, ct)))
            .WithTags("Events").RequireApiAuth(Roles.Organizer, Roles.Admin).ProducesProblem(401).ProducesProblem(403).ProducesProblem(404)
            .WithName("ReschedulePerformance")
            .WithSummary("Move a performance to a new date and/or venue: every holder is notified and may ask a refund until refundUntil")
            .WithDescription("{startsAt, venue?:{name?, city?, address?}, refundUntil?}: startsAt in the future; refundUntil after now and no later "
                + "than startsAt (default: 14 days, never past the new date). One notice per address, by mail in the holder's language (by SMS when "
                + "that is their channel), through the outbox. Buyers who paid before the change may then refund their own order with "
                + "POST /api/orders/{id}/refund until refundUntil (after it: 409 refund_window_closed). Prices and existing orders are untouched.")
            .ProducesValidationProblem().ProducesProblems(409).ProducesProblemCodes(ErrorCodes.EventCancelled);
    }
}
