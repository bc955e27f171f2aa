using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Ticketing.Core.Common;
using Ticketing.Core.Guests;
using Ticketing.Core.Notifications;
using Ticketing.Core.Orders;
using Ticketing.Core.Payments;
using Ticketing.Core.WaitingRoom;
using Ticketing.Web.Features.Orders;
using Ticketing.Web.Features.Payments;
using Ticketing.Web.Features.WaitingRoom;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Guests;

/// <summary>
/// Guest checkout: hold with an email address and a name, then pay, read and download through the same services as a
/// signed-in buyer, authorised by the order's token (<see cref="GuestAccess.Header"/> header, or <c>?token=</c> on the
/// downloads that a plain link opens). A wrong token is a 404, like an unknown order.
/// </summary>
public static class GuestEndpoints
{
    /// <summary>The token endpoints' rate limit: per client address, <c>RateLimiting:GuestPerMinute</c> (60; 0 = off).</summary>
    public const string RateLimitPolicy = "guest";

    /// <summary>
    /// Registers <see cref="RateLimitPolicy"/>. Unset, it follows <c>RateLimiting:AuthPerMinute</c> being off (0: no limit).
    /// </summary>
    public static IServiceCollection AddGuestRateLimit(this IServiceCollection services, IConfiguration config)
    {
        var perMinute = config.GetValue<int?>("RateLimiting:GuestPerMinute")
                        ?? (config.GetValue("RateLimiting:AuthPerMinute", 20) <= 0 ? 0 : 60);
        services.Configure<RateLimiterOptions>(o => o.AddPolicy(RateLimitPolicy, http => perMinute <= 0
            ? RateLimitPartition.GetNoLimiter("off")
            : RateLimitPartition.GetFixedWindowLimiter("guest|" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown"),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })));
        return services;
    }

    public static void MapGuestEndpoints(this WebApplication app)
    {
        var guest = app.MapGroup("/api/guest/orders").WithTags("Guest checkout").AllowAnonymous();

        guest.MapPost("", async Task<IResult> (PlaceGuestOrderRequest request, HttpContext http, GuestCheckoutService service,
                WaitingRoomService rooms, OrderService orders) =>
            {
                // A queued sale admits signed-in fans from its queue only: a guest has no admission token (403 admission_required).
                if (request is not null && request.PerformanceId != Guid.Empty)
                    await rooms.EnsureAdmittedAsync(GuestKeyOf(request), request.PerformanceId,
                        http.Request.Headers[AdmissionRequiredFilter.Header].FirstOrDefault(), http.RequestAborted);
                // Idempotency-Key: the keys are the address's (its guest id), so two guests never share one.
                var subject = GuestKeyOf(request);
                return await Idempotency.RunAsync(http, subject, "guest.orders.place", (object?)request ?? new { }, StatusCodes.Status201Created,
                    () => service.PlaceAsync(request, http.RequestAborted),
                    created => TypedResults.Created($"/api/guest/orders/{created.Order.Id}", created),
                    undo: created => orders.ReleaseAsync(created.Order.Id, subject, CancellationToken.None));
            })
            .RequireRateLimiting(ApiPolicies.AuthRateLimit)
            .WithName("PlaceGuestOrder")
            .WithSummary("Hold seats as a guest: {performanceId, items, email, displayName, language?} -> the order and its access token")
            .WithDescription("The same hold as POST /api/orders (shape, sale window, seats, Orders:HoldMinutes), for an email address "
                + "instead of an account. The order and its tickets belong to the address. Per-account caps apply to the address "
                + "(normalised), together with an account of the same address: above them 409 account_limit_exceeded. The answer "
                + "carries accessToken (send it as the Guest-Token header on /api/guest/orders/{id}/...) and orderUrl, the order's "
                + "page, whose signed link the confirmation mail also carries. Bad input (email, displayName, items) answers 400 "
                + "validation_failed with errors, and nothing is written. Rate limited per client address (RateLimiting:AuthPerMinute). "
                + "Accepts an Idempotency-Key header, scoped by the normalised address: the same key with the same body replays the "
                + "first answer (the same order, accessToken and orderUrl); another body under the same key answers 409 idempotency_key_reused.")
            .Produces<GuestOrderCreated>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblems(403, 409, 429)
            .ProducesProblemCodes(ErrorCodes.Validation, ErrorCodes.SoldOut, ErrorCodes.InsufficientAvailability, ErrorCodes.PurchaseLimitExceeded,
                ErrorCodes.SalesNotOpen, ErrorCodes.SalesClosed, ErrorCodes.EventNotPublished, ErrorCodes.EventCancelled,
                ErrorCodes.AccountLimitExceeded, ErrorCodes.AdmissionRequired, ErrorCodes.RateLimited)
            .AcceptsIdempotencyKey();

        guest.MapGet("/{id:guid}", async Task<Ok<OrderDto>> (Guid id, HttpContext http, GuestCheckoutService service) =>
                TypedResults.Ok(await service.GetAsync(id, TokenOf(http), http.RequestAborted)))
            .RequireRateLimiting(RateLimitPolicy).WithName("GetGuestOrder").WithSummary("The guest's order with its tickets (Guest-Token header)").ProducesProblems(404, 429);

        guest.MapPost("/{id:guid}/payment", async (Guid id, PayOrderRequest request, HttpContext http, GuestAccess access, PaymentService payments,
                FreeOrderPayment free, IOptions<PaymentOptions> settings) =>
            {
                // The token first: a wrong one is a 404, never a replay.
                var buyer = await access.VerifyAsync(id, TokenOf(http), http.RequestAborted);
                return await Idempotency.RunAsync(http, buyer, $"guest.orders.pay:{id:N}", request, StatusCodes.Status200OK,
                    () => !request.HasCard ? free.PayAsync(id, buyer, http.RequestAborted)
                        : settings.Value.Provider == "Simulated" ? payments.PayAsync(id, buyer, request.ToCard(), http.RequestAborted)
                        : throw new DomainException(ErrorCodes.CardEntryNotAllowed, "Card numbers are typed on the provider's hosted page: POST /api/guest/orders/{id}/checkout."),
                    result => TypedResults.Ok(result));
            })
            .RequireRateLimiting(RateLimitPolicy)
            .WithName("PayGuestOrder")
            .WithSummary("Pay a guest's held order (Guest-Token header): {} for a free order; card fields only with the simulated provider")
            .WithDescription("The same payment as POST /api/orders/{id}/payment. The confirmation mail goes to the order's address, "
                + "with the e-tickets and the signed link to the order's page. Accepts an Idempotency-Key header (keys scoped by the order's address).")
            .Produces<PaymentResultDto>()
            .ProducesProblems(400, 402, 404, 409, 429)
            .ProducesProblemCodes(ErrorCodes.InvalidCard, ErrorCodes.CardDeclined, ErrorCodes.InsufficientFunds, ErrorCodes.CardExpired,
                ErrorCodes.HoldExpired, ErrorCodes.OrderNotPayable, ErrorCodes.PaymentInProgress, ErrorCodes.CardEntryNotAllowed)
            .AcceptsIdempotencyKey();

        guest.MapPost("/{id:guid}/checkout", async Task<Ok<CheckoutStartDto>> (Guid id, HttpContext http, GuestAccess access, CheckoutService checkout,
                IOptions<PaymentOptions> settings) =>
            {
                var buyer = await access.VerifyAsync(id, TokenOf(http), http.RequestAborted);
                // The hosted page sends the guest back to the guest order page (not to /checkout, which needs an account).
                return TypedResults.Ok(await checkout.StartAsync(id, buyer, GuestOrder.ReturnBase(CheckoutEndpoints.Origin(http.Request), id, TokenOf(http)!,
                    settings.Value.Provider),
                    http.RequestAborted));
            })
            .RequireRateLimiting(RateLimitPolicy)
            .WithName("StartGuestCheckout")
            .WithSummary("Open the hosted payment page for a guest's held order (Guest-Token header): {provider, sessionId, redirectUrl}")
            .ProducesProblems(404, 409, 429)
            .ProducesProblemCodes(ErrorCodes.HoldExpired, ErrorCodes.OrderNotPayable);

        guest.MapDelete("/{id:guid}", async Task<NoContent> (Guid id, HttpContext http, GuestAccess access, OrderService orders) =>
            {
                var buyer = await access.VerifyAsync(id, TokenOf(http), http.RequestAborted);
                await orders.ReleaseAsync(id, buyer, http.RequestAborted);
                return TypedResults.NoContent();
            })
            .RequireRateLimiting(RateLimitPolicy)
            .WithName("ReleaseGuestOrder").WithSummary("Release a guest's Reserved hold (Guest-Token header)").ProducesProblems(404, 409, 429)
            .ProducesProblemCodes(ErrorCodes.OrderNotReleasable, ErrorCodes.PaymentInProgress);

        guest.MapPost("/{id:guid}/refund", async Task<Ok<OrderRefund>> (Guid id, HttpContext http, GuestAccess access, RefundService refunds) =>
            {
                var buyer = await access.VerifyAsync(id, TokenOf(http), http.RequestAborted);
                return TypedResults.Ok(await refunds.RefundAsync(id, new Actor(buyer, false), http.RequestAborted));
            })
            .RequireRateLimiting(RateLimitPolicy)
            .WithName("RefundGuestOrder")
            .WithSummary("A guest asks the refund a reschedule offers (Guest-Token header), while its window is open")
            .WithDescription("As POST /api/orders/{id}/refund for the buyer (the whole order): allowed only while a reschedule's refund "
                + "window is open for this order (404 without any window, like a wrong token; 409 refund_window_closed once it closed).")
            .Produces<OrderRefund>()
            .ProducesProblems(404, 409, 429, 502)
            .ProducesProblemCodes(ErrorCodes.OrderNotRefundable, ErrorCodes.TicketUsed, ErrorCodes.RefundFailed, ErrorCodes.RefundWindowClosed);

        guest.MapGet("/{id:guid}/tickets.pdf", async Task<FileContentHttpResult> (Guid id, HttpContext http, GuestAccess access, ETicketDocuments docs) =>
            {
                var buyer = await access.VerifyAsync(id, TokenOf(http), http.RequestAborted);
                http.Response.Headers.CacheControl = "private, no-store";
                var file = await docs.ForOrderAsync(id, buyer, false, CultureInfo.CurrentUICulture, http.RequestAborted);
                return TypedResults.File(file.Content, "application/pdf", file.FileName);
            })
            .RequireRateLimiting(RateLimitPolicy)
            .WithName("GetGuestOrderTicketsPdf")
            .WithSummary("All valid e-tickets of a guest's order (Guest-Token header, or ?token= for a plain link)")
            .Produces(200, contentType: "application/pdf").ProducesProblems(404, 429);

        guest.MapGet("/{id:guid}/tickets/{ticketId:guid}/pdf", async Task<FileContentHttpResult> (Guid id, Guid ticketId, HttpContext http,
                GuestAccess access, ETicketDocuments docs) =>
            {
                var buyer = await access.VerifyAsync(id, TokenOf(http), http.RequestAborted);
                http.Response.Headers.CacheControl = "private, no-store";
                // A ticket the address still holds (not passed on, not voided).
                var file = await docs.ForTicketAsync(ticketId, buyer, false, CultureInfo.CurrentUICulture, http.RequestAborted);
                return TypedResults.File(file.Content, "application/pdf", file.FileName);
            })
            .RequireRateLimiting(RateLimitPolicy)
            .WithName("GetGuestTicketPdf")
            .WithSummary("One e-ticket of a guest's order (Guest-Token header, or ?token= for a plain link)")
            .Produces(200, contentType: "application/pdf").ProducesProblems(404, 429);
    }

    private static string? TokenOf(HttpContext http) =>
        http.Request.Headers[GuestAccess.Header].FirstOrDefault() is { Length: > 0 } header ? header : http.Request.Query["token"].FirstOrDefault();

    private static Guid GuestKeyOf(PlaceGuestOrderRequest? request) =>
        GuestKey.For(GuestKey.Normalize(request?.Email ?? ""));
}
