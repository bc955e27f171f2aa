using Microsoft.AspNetCore.Http.HttpResults;
using Ticketing.Core.Common;
using Ticketing.Core.Payments;
using Ticketing.Web.Http;

namespace Ticketing.Web.Features.Payments;

/// <summary>The hosted payment flow: open the provider's page for a held order, and the provider's signed webhook.</summary>
public static class CheckoutEndpoints
{
    public const string SignatureHeader = "Stripe-Signature";

    public static void MapCheckoutEndpoints(this WebApplication app)
    {
        app.MapPost("/api/orders/{id:guid}/checkout", async Task<Ok<CheckoutStartDto>> (Guid id, HttpContext http, CheckoutService checkout) =>
                TypedResults.Ok(await checkout.StartAsync(id, http.User.UserId(), Origin(http.Request), http.RequestAborted)))
            .WithTags("Orders").RequireApiAuth().ProducesProblem(401)
            .WithName("StartCheckout")
            .WithSummary("Open the hosted payment page for a held order: {provider, sessionId, redirectUrl}")
            .WithDescription("Send the fan to redirectUrl: a Stripe Checkout Session (Payments:Provider=Stripe) or the app's simulated hosted "
                + "page (Simulated, a test page). The hold is extended to Orders:CheckoutHoldMinutes from now (once). The fan comes back to "
                + "/checkout/{id}/complete; the order becomes Paid when the provider's webhook says so. Calling it again while the page "
                + "is open answers the same session. A free order (total 0) is paid with POST /api/orders/{id}/payment {} instead.")
            .ProducesProblems(404, 409)
            .ProducesProblemCodes(ErrorCodes.HoldExpired, ErrorCodes.OrderNotPayable);

        app.MapPost("/api/payments/webhooks/stripe", async Task<Ok<WebhookAck>> (HttpContext http, StripeWebhookService webhooks) =>
            {
                using var reader = new StreamReader(http.Request.Body);
                var payload = await reader.ReadToEndAsync(http.RequestAborted);
                var outcome = await webhooks.HandleAsync(payload, http.Request.Headers[SignatureHeader].ToString(), http.RequestAborted);
                return TypedResults.Ok(new WebhookAck(true, outcome.ToString()));
            })
            .WithTags("Payments").AllowAnonymous().DisableAntiforgery()
            .WithName("StripeWebhook")
            .WithSummary("Stripe's webhook: signed events (Stripe-Signature) that settle hosted payments, each exactly once")
            .WithDescription("Verified with Payments:Stripe:WebhookSecret through Stripe.net (5 minutes' tolerance); a bad or missing "
                + "signature answers 400 invalid_signature and changes nothing. checkout.session.completed / async_payment_succeeded "
                + "make the order Paid (a payment after the hold ended issues the tickets if the seats remain, else it is refunded and the "
                + "buyer told); checkout.session.expired closes the page; replays and other event types answer 200 and change nothing.")
            .Accepts<object>("application/json")
            .ProducesProblems(400)
            .ProducesProblemCodes(ErrorCodes.InvalidSignature);
    }

    /// <summary>The app's origin as the caller sees it (after the forwarded headers): where the provider sends the fan back.</summary>
    public static string Origin(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}";
}

/// <summary>The webhook's answer: received, and what it did (Paid, AlreadyProcessed, Refunded, Closed, Ignored).</summary>
public sealed record WebhookAck(bool Received, string Outcome);
