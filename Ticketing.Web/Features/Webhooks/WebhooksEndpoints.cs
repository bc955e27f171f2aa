using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Webhooks;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Webhooks;

/// <summary>An organizer's webhook endpoints (issue 25 item 6): signed <c>order.paid</c>, <c>order.refunded</c>, <c>ticket.checked_in</c> deliveries with retries.</summary>
public static class WebhooksEndpoints
{
    public static void MapWebhooksEndpoints(this WebApplication app)
    {
        var group = app.MapGroup("/api/webhooks").WithTags("Webhooks").RequireApiAuth(Roles.Organizer, Roles.Admin)
            .ProducesProblem(401).ProducesProblem(403);

        group.MapPost("", async Task<Created<CreatedWebhookDto>> (CreateWebhookRequest request, ClaimsPrincipal user, WebhookService service, CancellationToken ct) =>
            {
                var created = await service.CreateAsync(Actor.From(user), request, ct);
                return TypedResults.Created($"/api/webhooks/{created.Webhook.Id}", created);
            })
            .WithName("CreateWebhook")
            .WithSummary("Register an endpoint for the signed events of your events; the signing secret is in this answer only")
            .WithDescription("`{url, events?, description?}`: url is absolute https (no credentials); events among `order.paid`, `order.refunded`, "
                + "`ticket.checked_in` (absent: all). Each delivery is a POST of `{id, type, createdAt, data}` with the headers "
                + "`Ticketing-Event`, `Ticketing-Delivery` (the id: de-duplicate on it) and `Ticketing-Signature: t=<unix>,v1=<hex HMAC-SHA256 "
                + "of \"t.body\" keyed with the secret's UTF-8 bytes>`. A 2xx within 10 s acknowledges it; otherwise it is retried with backoff "
                + "(30 s doubling, capped at 6 h) up to 10 attempts. Events are recorded from the moment the endpoint exists, within about 10 s.")
            .Produces<CreatedWebhookDto>(StatusCodes.Status201Created).ProducesValidationProblem();

        group.MapGet("", async Task<Ok<IReadOnlyList<WebhookDto>>> (ClaimsPrincipal user, WebhookService service, CancellationToken ct) =>
                TypedResults.Ok(await service.ListAsync(Actor.From(user), ct)))
            .WithName("ListWebhooks").WithSummary("Your webhook endpoints with their pending and failed deliveries");

        group.MapGet("/{id:guid}/deliveries", async Task<Ok<PagedResult<WebhookDeliveryDto>>> (Guid id, int? page, int? pageSize, ClaimsPrincipal user,
                WebhookService service, CancellationToken ct) =>
                TypedResults.Ok(await service.DeliveriesAsync(id, Actor.From(user), PageRequest.Create(page, pageSize), ct)))
            .WithName("ListWebhookDeliveries").WithSummary("An endpoint's deliveries, newest first (paged)").ProducesProblem(404);

        group.MapPost("/{id:guid}/test", async Task<Accepted<WebhookDeliveryDto>> (Guid id, ClaimsPrincipal user, WebhookService service, CancellationToken ct) =>
                TypedResults.Accepted((string?)null, await service.TestAsync(id, Actor.From(user), ct)))
            .WithName("TestWebhook").WithSummary("Queue a signed `webhook.test` delivery to the endpoint")
            .ProducesProblem(404).ProducesProblem(409);

        group.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/retry", async Task<Ok<WebhookDeliveryDto>> (Guid id, Guid deliveryId, ClaimsPrincipal user,
                WebhookService service, CancellationToken ct) =>
                TypedResults.Ok(await service.RetryAsync(id, deliveryId, Actor.From(user), ct)))
            .WithName("RetryWebhookDelivery").WithSummary("Send a delivery again (a failed one gets a fresh set of attempts)").ProducesProblem(404);

        group.MapDelete("/{id:guid}", async Task<NoContent> (Guid id, ClaimsPrincipal user, WebhookService service, CancellationToken ct) =>
            {
                await service.DisableAsync(id, Actor.From(user), ct);
                return TypedResults.NoContent();
            })
            .WithName("DisableWebhook").WithSummary("Disable an endpoint: nothing more is recorded or sent; its history stays").ProducesProblem(404);
    }
}
