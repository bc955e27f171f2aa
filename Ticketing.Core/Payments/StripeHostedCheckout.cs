using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;
using Ticketing.Core.Common;

namespace Ticketing.Core.Payments;

/// <summary>
/// Stripe Checkout Sessions (Stripe.net): the fan pays on Stripe's page (3-D Secure, wallets), our server never sees the
/// card. The order id rides in <c>client_reference_id</c> and in the PaymentIntent's metadata (the payment recovery finds
/// it there). The session ends with the hold (Stripe's shortest lifetime is 30 minutes).
/// </summary>
public sealed class StripeHostedCheckout(IOptions<StripeOptions> options, HttpClient httpClient, TimeProvider clock, ILogger<StripeHostedCheckout> logger)
    : IHostedCheckout
{
    private static readonly TimeSpan ShortestSession = TimeSpan.FromMinutes(31);
    private readonly IStripeClient _client = StripePaymentGateway.CreateStripeClient(options.Value, httpClient);

    public string Name => "stripe";

    public async Task<HostedSession> CreateAsync(HostedSessionRequest request, CancellationToken ct)
    {
        var orderId = request.OrderId.ToString("D");
        var earliest = clock.GetUtcNow() + ShortestSession;
        var create = new SessionCreateOptions
        {
            Mode = "payment",
            ClientReferenceId = orderId,
            CustomerEmail = request.CustomerEmail,
            Locale = request.Language is "fr" ? "fr" : "en",
            ExpiresAt = (request.ExpiresAt > earliest ? request.ExpiresAt : earliest).UtcDateTime,
            SuccessUrl = $"{request.ReturnBaseUrl}/checkout/{orderId}/complete?session_id={{CHECKOUT_SESSION_ID}}",
            CancelUrl = $"{request.ReturnBaseUrl}/checkout/{orderId}",
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = request.Currency.ToLowerInvariant(),
                        UnitAmount = Currencies.ToCurrencyMinorUnits(request.AmountMinor, request.Currency),
                        ProductData = new SessionLineItemPriceDataProductDataOptions { Name = request.Description },
                    },
                },
            ],
            Metadata = new Dictionary<string, string> { [StripePaymentGateway.OrderIdMetadataKey] = orderId },
            PaymentIntentData = new SessionPaymentIntentDataOptions
            {
                Metadata = new Dictionary<string, string> { [StripePaymentGateway.OrderIdMetadataKey] = orderId },
            },
        };
        var session = await new SessionService(_client).CreateAsync(create,
            new RequestOptions { IdempotencyKey = "checkout-" + orderId + "-" + request.ExpiresAt.ToUnixTimeSeconds() }, ct);
        logger.LogInformation("Stripe checkout session {SessionId} for order {OrderId} (request {RequestId})", session.Id, request.OrderId,
            session.StripeResponse?.RequestId);
        return new HostedSession(session.Id, session.Url);
    }

    public async Task<HostedSessionStatus?> GetAsync(string sessionId, CancellationToken ct)
    {
        Session session;
        try
        {
            session = await new SessionService(_client).GetAsync(sessionId, null, null, ct);
        }
        catch (StripeException ex) when (ex.HttpStatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
        var state = session.PaymentStatus == "paid" ? HostedSessionState.Paid
            : session.Status == "expired" ? HostedSessionState.Expired : HostedSessionState.Open;
        return new HostedSessionStatus(session.Id, state, session.AmountTotal ?? 0, session.Currency ?? "", session.PaymentIntentId);
    }

    public async Task<bool> ExpireAsync(string sessionId, CancellationToken ct)
    {
        try
        {
            await new SessionService(_client).ExpireAsync(sessionId, null, null, ct);
            return true;
        }
        catch (StripeException ex) when (ex.HttpStatusCode is System.Net.HttpStatusCode.BadRequest or System.Net.HttpStatusCode.NotFound)
        {
            // Already completed or expired: the reconciliation's next look tells which.
            logger.LogInformation("Stripe refused to expire checkout session {SessionId}: {Code}", sessionId, ex.StripeError?.Code);
            return false;
        }
    }
}
