using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Core.Common;
using Ticketing.Core.Events;
using Ticketing.Core.Orders;
using Ticketing.Core.Sales;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Sales;

/// <summary>The back office of an event: sales, attendees, refunds and cancellation (owner or Admin).</summary>
public static class SalesEndpoints
{
    public static void MapSalesEndpoints(this WebApplication app)
    {
        var events = app.MapGroup("/api/events").WithTags("Events").RequireApiAuth().ProducesProblem(401);

        events.MapGet("/{id:guid}/sales", async Task<Ok<EventSales>> (Guid id, ClaimsPrincipal user, SalesService sales, CancellationToken ct) =>
                TypedResults.Ok(await sales.GetSalesAsync(id, Actor.From(user), ct)))
            .WithName("GetEventSales").WithSummary("Per performance and category: capacity, sold, held, available, revenue; daily sales; cancellation progress")
            .ProducesProblems(403, 404);

        events.MapGet("/{id:guid}/attendees", async Task<Ok<IReadOnlyList<Attendee>>> (Guid id, Guid? performanceId, ClaimsPrincipal user, SalesService sales, CancellationToken ct) =>
                TypedResults.Ok(await sales.GetAttendeesAsync(id, Actor.From(user), performanceId, ct)))
            .WithName("GetEventAttendees").WithSummary("Every ticket of the event with its holder and status").ProducesProblems(403, 404);

        events.MapGet("/{id:guid}/attendees.csv", async Task<FileContentHttpResult> (Guid id, Guid? performanceId, ClaimsPrincipal user, SalesService sales, CancellationToken ct) =>
                TypedResults.File(SalesService.ToCsv(await sales.GetAttendeesAsync(id, Actor.From(user), performanceId, ct)),
                    "text/csv; charset=utf-8", $"attendees-{id:N}.csv"))
            .WithName("ExportEventAttendees").WithSummary("The attendee list as CSV (UTF-8 with BOM, for Excel)")
            .Produces(StatusCodes.Status200OK, contentType: "text/csv").ProducesProblems(403, 404);

        events.MapPost("/{id:guid}/cancel", async Task<Ok<CancelEventResult>> (Guid id, ClaimsPrincipal user, EventCancellationService cancellations, CancellationToken ct) =>
                TypedResults.Ok(await cancellations.CancelAsync(id, Actor.From(user), ct)))
            .WithName("CancelEvent").WithSummary("Cancel the event: every paid order is refunded in the background and every buyer notified (idempotent)")
            .ProducesProblems(403, 404);

        app.MapPost("/api/orders/{id:guid}/refund", async Task<Ok<OrderRefund>> (Guid id,
                [Microsoft.AspNetCore.Mvc.FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] RefundRequest? request,
                ClaimsPrincipal user, RefundService refunds, CancellationToken ct) =>
                TypedResults.Ok(await refunds.RefundAsync(id, Actor.From(user), request?.TicketIds, ct)))
            .WithTags("Orders").RequireApiAuth()
            .WithName("RefundOrder").WithSummary("Refund a paid order, or some of its tickets, through the gateway that took the money")
            .WithDescription("Body optional: {ticketIds:[...]} refunds those tickets only (the order becomes PartiallyRefunded while valid tickets "
                + "remain); absent or empty, every valid ticket. The tickets are voided, their seats return to sale, a credit note "
                + "C-YYYY-NNNNNN is issued and the buyer is notified. Two refunds of the same ticket at once refund it once. "
                + "The buyer may refund their own order while a reschedule's refund window is open (404 without any window, as before; 409 refund_window_closed once it closed).")
            .ProducesValidationProblem().ProducesProblems(401, 404, 409, 502)
            .ProducesProblemCodes(ErrorCodes.OrderNotRefundable, ErrorCodes.TicketUsed, ErrorCodes.RefundFailed, ErrorCodes.RefundWindowClosed);
    }
}
