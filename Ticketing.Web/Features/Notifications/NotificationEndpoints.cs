using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Notifications;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Notifications;

/// <summary>E-ticket PDFs, the delivery status of an order's notifications, and the Admin view of the outbox.</summary>
public static class NotificationEndpoints
{
    public static void MapNotificationEndpoints(this WebApplication app)
    {
        app.MapGet("/api/tickets/{id:guid}/pdf", async Task<FileContentHttpResult> (Guid id, ClaimsPrincipal me, ETicketDocuments docs, CancellationToken ct) =>
            {
                var file = await docs.ForTicketAsync(id, me.UserId(), me.IsAdmin(), CultureInfo.CurrentUICulture, ct);
                return TypedResults.File(file.Content, "application/pdf", file.FileName);
            })
            .WithTags("Tickets").WithName("GetTicketPdf").WithSummary("The e-ticket as a PDF (holder, event owner, Admin)")
            .RequireApiAuth().Produces(200, contentType: "application/pdf").ProducesProblems(401, 404);

        app.MapGet("/api/orders/{id:guid}/tickets.pdf", async Task<FileContentHttpResult> (Guid id, ClaimsPrincipal me, ETicketDocuments docs, CancellationToken ct) =>
            {
                var file = await docs.ForOrderAsync(id, me.UserId(), me.IsAdmin(), CultureInfo.CurrentUICulture, ct);
                return TypedResults.File(file.Content, "application/pdf", file.FileName);
            })
            .WithTags("Tickets").WithName("GetOrderTicketsPdf").WithSummary("All valid e-tickets of an order, one page each (buyer, event owner, Admin)")
            .RequireApiAuth().Produces(200, contentType: "application/pdf").ProducesProblems(401, 404);

        app.MapGet("/api/orders/{id:guid}/notifications", async Task<Ok<IReadOnlyList<OrderNotificationStatus>>> (Guid id, ClaimsPrincipal me,
                NotificationAdminService notifications, CancellationToken ct) =>
                TypedResults.Ok(await notifications.ForOrderAsync(id, me.UserId(), me.IsAdmin(), ct)))
            .WithTags("Orders").WithName("GetOrderNotifications").WithSummary("Delivery status of the order's confirmation and notices (buyer, event owner, Admin)")
            .RequireApiAuth().ProducesProblems(401, 404);

        var admin = app.MapGroup("/api/admin/notifications").WithTags("Notifications").RequireApiAuth(Roles.Admin)
            .ProducesProblem(401).ProducesProblem(403);

        admin.MapGet("", async Task<Ok<PagedResult<NotificationRow>>> (NotificationStatus? status, NotificationChannel? channel, NotificationKind? kind,
                string? search, int? page, int? pageSize, NotificationAdminService notifications, CancellationToken ct) =>
                TypedResults.Ok(await notifications.ListAsync(new NotificationFilter(status, channel, kind, search), PageRequest.Create(page, pageSize), ct)))
            .WithName("ListNotifications").WithSummary("The outbox: notifications with status, attempts and last error (recipients masked)");

        admin.MapPost("/{id:guid}/retry", async Task<Results<NoContent, Conflict>> (Guid id, NotificationAdminService notifications, CancellationToken ct) =>
                await notifications.RetryAsync(id, ct) ? TypedResults.NoContent() : TypedResults.Conflict())
            .WithName("RetryNotification").WithSummary("Queue a failed notification again (attempts reset)").ProducesProblems(404);

        admin.MapGet("/sms", async Task<Ok<PagedResult<SmsRow>>> (int? page, int? pageSize, NotificationAdminService notifications, CancellationToken ct) =>
                TypedResults.Ok(await notifications.SmsLogAsync(PageRequest.Create(page, pageSize), ct)))
            .WithName("ListSimulatedSms").WithSummary("Texts recorded by the simulated SMS gateway");
    }
}
