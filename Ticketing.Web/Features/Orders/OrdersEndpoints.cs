using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Core.Common;
using Ticketing.Core.Orders;
using Ticketing.Core.Payments;
using Ticketing.Web.Features.WaitingRoom;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Orders;

public static class OrdersEndpoints
{
    /// <summary>The idempotency scope of <c>POST /api/orders</c> (also read by <see cref="SoldOutFastPath"/>).</summary>
    public const string PlaceScope = "orders.place";

    public static void MapOrdersEndpoints(this WebApplication app)
    {
        var orders = app.MapGroup("/api/orders").WithTags("Orders").RequireApiAuth().ProducesProblem(401);

        orders.MapPost("", async (PlaceOrderRequest request, HttpContext http, OrderService service, SoldOutCache soldOut, SoldOutAnswer answer,
                IdempotencyStore keys) =>
                // Flash sale: the thousands of losers are answered from memory, before any exception (those whose token this
                // instance has validated before are answered even earlier: SoldOutFastPath). With an Idempotency-Key, only
                // when the key has no earlier answer to replay (one indexed read); otherwise the normal path replays it.
                soldOut.IsKnownSoldOut(request)
                    && await Idempotency.NothingToReplayAsync(http.Request, http.User.UserId(), PlaceScope, keys, http.RequestAborted)
                    ? answer.AtEndpoint
                    : await Idempotency.RunAsync(http, PlaceScope, request, StatusCodes.Status201Created,
                    keyed => service.PlaceAsync(http.User.UserId(), request, http.RequestAborted, keyed: keyed),
                    order => TypedResults.Created($"/api/orders/{order.Id}", order),
                    undo: order => service.ReleaseAsync(order.Id, http.User.UserId(), CancellationToken.None)))
            .WithMetadata(SoldOutFastPath.Metadata)
            .RequireAdmissionDuringQueuedSale()
            .RequireRateLimiting(ApiPolicies.HoldRateLimit)
            .WithName("PlaceOrder")
            .WithSummary("Hold seats: one atomic conditional update per category; the hold lasts Orders:HoldMinutes")
            .WithDescription("Accepts an Idempotency-Key header: the same key with the same body replays the first answer. "
                + "Per-account caps: tickets of the event (paid + held) up to its maxTicketsPerAccount, per price category up to "
                + "maxTicketsPerAccountPerCategory, and Orders:MaxOpenHoldsPerAccount open holds; above them 409 account_limit_exceeded. "
                + "One running hold per account and performance (Orders:OneHoldPerPerformance): a second one answers 409 hold_already_active "
                + "with the running order's id in orderId. At most RateLimiting:HoldsPerMinute holds per account and minute (429 rate_limited). "
                + "With Auth:RequireConfirmedEmail, an account whose address is not confirmed is refused (403 email_not_confirmed). "
                + "Codes: `accessCode` (a presale: buy presaleOnly categories, or before salesOpenAt, during the code's window; else 409 "
                + "access_code_invalid with a reason) and `promoCode` (409 promo_invalid / promo_expired / promo_exhausted); each counted "
                + "once per order, exactly, and given back when the hold ends unpaid.")
            .Produces<OrderDto>(StatusCodes.Status201Created)
            .ProducesValidationProblem().ProducesProblems(409, 429)
            .ProducesProblemCodes(ErrorCodes.SoldOut, ErrorCodes.InsufficientAvailability, ErrorCodes.PurchaseLimitExceeded, ErrorCodes.SalesNotOpen,
                ErrorCodes.SalesClosed, ErrorCodes.EventNotPublished, ErrorCodes.EventCancelled, ErrorCodes.AccountLimitExceeded,
                ErrorCodes.HoldAlreadyActive, ErrorCodes.EmailNotConfirmed, ErrorCodes.AccessCodeInvalid, ErrorCodes.PromoInvalid,
                ErrorCodes.PromoExpired, ErrorCodes.PromoExhausted)
            .AcceptsIdempotencyKey();

        orders.MapPost("/{id:guid}/payment", (Guid id, PayOrderRequest request, HttpContext http, PaymentService payments, FreeOrderPayment free,
                Microsoft.Extensions.Options.IOptions<PaymentOptions> settings) =>
                Idempotency.RunAsync(http, $"orders.pay:{id:N}", request, StatusCodes.Status200OK,
                    keyed => !request.HasCard ? free.PayAsync(id, http.User.UserId(), http.RequestAborted)
                        : settings.Value.Provider == "Simulated" ? payments.PayAsync(id, http.User.UserId(), request.ToCard(), http.RequestAborted, keyed)
                        : throw new DomainException(ErrorCodes.CardEntryNotAllowed, "Card numbers are typed on the provider's hosted page: POST /api/orders/{id}/checkout."),
                    result => TypedResults.Ok(result)))
            .WithName("PayOrder")
            .WithSummary("Pay a held order: {} for a free order (total 0); card fields only with the simulated provider")
            .WithDescription("A free order (total 0) is paid with an empty body: no gateway, no card. Card fields (the contract's test cards) "
                + "are taken only with Payments:Provider=Simulated (API clients, load tests); with Stripe they answer 400 card_entry_not_allowed "
                + "(the fan pays on the hosted page: POST /api/orders/{id}/checkout). Accepts an Idempotency-Key header. The card number and "
                + "CVC are never stored.")
            .Produces<PaymentResultDto>()
            .ProducesProblems(400, 402, 404, 409)
            .ProducesProblemCodes(ErrorCodes.InvalidCard, ErrorCodes.CardDeclined, ErrorCodes.InsufficientFunds, ErrorCodes.CardExpired,
                ErrorCodes.HoldExpired, ErrorCodes.OrderNotPayable, ErrorCodes.PaymentInProgress, ErrorCodes.CardEntryNotAllowed)
            .AcceptsIdempotencyKey();

        orders.MapDelete("/{id:guid}", async Task<NoContent> (Guid id, ClaimsPrincipal me, OrderService service, CancellationToken ct) =>
            {
                await service.ReleaseAsync(id, me.UserId(), ct);
                return TypedResults.NoContent();
            })
            .WithName("ReleaseOrder").WithSummary("Release a Reserved hold (its seats go back on sale)").ProducesProblems(404, 409)
            .ProducesProblemCodes(ErrorCodes.OrderNotReleasable, ErrorCodes.PaymentInProgress);

        orders.MapGet("", async Task<Ok<PagedResult<OrderDto>>> (int? page, int? pageSize, Guid? userId, ClaimsPrincipal me, OrderService service, CancellationToken ct) =>
                TypedResults.Ok(await service.ListAsync(me.UserId(), me.IsAdmin(), userId, PageRequest.Create(page, pageSize), ct)))
            .WithName("ListOrders").WithSummary("Own orders, newest first (Admin: everyone's, or one user's with ?userId=)");

        orders.MapGet("/{id:guid}", async Task<Ok<OrderDto>> (Guid id, ClaimsPrincipal me, OrderService service, CancellationToken ct) =>
                TypedResults.Ok(await service.GetAsync(id, me.UserId(), me.IsAdmin(), ct)))
            .WithName("GetOrder").WithSummary("One order (the buyer, the event's owner or an Admin)").ProducesProblems(404);
    }
}
