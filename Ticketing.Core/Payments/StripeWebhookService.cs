using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using Stripe;
using Ticketing.Core.Common;

namespace Ticketing.Core.Payments;

/// <summary>
/// <c>POST /api/payments/webhooks/stripe</c>: the signature is verified with Stripe.net (<c>EventUtility.ConstructEvent</c>,
/// 5 minutes' tolerance on the app clock) before anything is read; a bad one changes nothing (400 invalid_signature).
/// Checkout events settle the session (exactly once per event id); every other event type is acknowledged and ignored.
/// The same path serves Stripe and the simulated hosted page, which signs its events the same way.
/// </summary>
public sealed class StripeWebhookService(
    WebhookSecrets secrets,
    CheckoutService checkout,
    IStringLocalizer<SharedResource> localizer,
    TimeProvider clock,
    ILogger<StripeWebhookService> logger)
{
    public const long ToleranceSeconds = 300;

    public async Task<SettleOutcome> HandleAsync(string payload, string? signature, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(signature)) throw Refused();
        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(payload, signature, await secrets.GetAsync(ct), ToleranceSeconds,
                clock.GetUtcNow().ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
        }
        catch (StripeException ex)
        {
            logger.LogWarning("Webhook refused: {Reason}", ex.Message);
            throw Refused();
        }
        catch (Newtonsoft.Json.JsonException)
        {
            logger.LogWarning("Webhook refused: the payload is not an event");
            throw Refused();
        }

        switch (stripeEvent.Type)
        {
            case EventTypes.CheckoutSessionCompleted or EventTypes.CheckoutSessionAsyncPaymentSucceeded
                when stripeEvent.Data.Object is Stripe.Checkout.Session { PaymentStatus: "paid" } paid:
                return await checkout.SettlePaidAsync(stripeEvent.Id, stripeEvent.Type, paid.Id, paid.AmountTotal ?? 0, paid.Currency,
                    paid.PaymentIntentId, ct);
            case EventTypes.CheckoutSessionExpired when stripeEvent.Data.Object is Stripe.Checkout.Session expired:
                return await checkout.MarkExpiredAsync(stripeEvent.Id, stripeEvent.Type, expired.Id, ct);
            default:
                // Unknown types, and a completed session still waiting for a delayed payment method: nothing to do.
                logger.LogInformation("Webhook {EventId} of type {EventType} ignored", stripeEvent.Id, stripeEvent.Type);
                return SettleOutcome.Ignored;
        }
    }

    private DomainException Refused() => new(ErrorCodes.InvalidSignature, localizer["Error.invalid_signature"]);
}
