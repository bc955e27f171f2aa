using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;
using Ticketing.Core.Common;

namespace Ticketing.Core.Payments;

/// <summary>
/// <see cref="IPaymentGateway"/> on Stripe PaymentIntents (Stripe.net 53.1.0).
/// <para>
/// Card data: the Stripe API does not accept raw card fields inside <c>payment_method_data</c>, so a
/// <c>card</c> PaymentMethod is created first (POST /v1/payment_methods) and then a PaymentIntent is created
/// and confirmed with it. Sending raw PANs server-side only works in test mode (or with Stripe's "raw card data
/// APIs" enabled, which requires full PCI SAQ D). PRODUCTION SHOULD USE STRIPE ELEMENTS / Payment Element (or
/// tokens / ConfirmationTokens created in the browser) so the raw PAN and CVC never reach our server; the
/// gateway would then receive a <c>pm_…</c> id instead of <see cref="CardDetails"/>.
/// </para>
/// <para>
/// Never logs or stores the card number or CVC: logs contain only the order id, outcome, Stripe ids and request id.
/// </para>
/// </summary>
public sealed class StripePaymentGateway : IPaymentGateway
{
    /// <summary>Metadata key set on every PaymentIntent; used by <see cref="FindChargeAsync"/>.</summary>
    public const string OrderIdMetadataKey = "order_id";

    public const string DeclineCardDeclined = "card_declined";
    public const string DeclineInsufficientFunds = "insufficient_funds";
    public const string DeclineCardExpired = "card_expired";
    public const string DeclineInvalidCard = "invalid_card";

    private static readonly HashSet<string> InvalidCardCodes = new(StringComparer.Ordinal)
    {
        "incorrect_number", "invalid_number", "incorrect_cvc", "invalid_cvc",
        "invalid_expiry_month", "invalid_expiry_year", "incorrect_zip", "invalid_account",
        "card_not_supported", "pickup_card", "lost_card", "stolen_card",
    };

    private readonly IStripeClient _client;
    private readonly ILogger<StripePaymentGateway> _logger;

    /// <param name="options">Section "Payments:Stripe".</param>
    /// <param name="httpClient">Typed HttpClient (AddHttpClient) — its BaseAddress is ignored; Stripe.net uses <see cref="StripeOptions.ApiBase"/>.</param>
    public StripePaymentGateway(IOptions<StripeOptions> options, HttpClient httpClient, ILogger<StripePaymentGateway> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClient);
        _client = CreateStripeClient(options.Value, httpClient);
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
    }

    public string Name => "stripe";

    /// <summary>Builds a <see cref="StripeClient"/> on the given HttpClient, honouring <see cref="StripeOptions.ApiBase"/>.</summary>
    public static StripeClient CreateStripeClient(StripeOptions options, HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.SecretKey))
        {
            throw new InvalidOperationException($"{StripeOptions.SectionName}:SecretKey is not configured.");
        }

        return new StripeClient(new StripeClientOptions
        {
            ApiKey = options.SecretKey,
            ApiBase = string.IsNullOrWhiteSpace(options.ApiBase) ? null : options.ApiBase.TrimEnd('/'),
            HttpClient = new SystemNetHttpClient(httpClient, Math.Max(0, options.MaxNetworkRetries), appInfo: null, enableTelemetry: false),
        });
    }

    public async Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Card);
        var orderId = request.OrderId.ToString("D");

        PaymentMethod paymentMethod;
        try
        {
            // Test mode / raw-card-data accounts only — see class remarks (production: Stripe Elements).
            // Own idempotency key (keys must not be reused across endpoints); a retry replays the same pm_….
            paymentMethod = await new PaymentMethodService(_client).CreateAsync(
                new PaymentMethodCreateOptions
                {
                    Type = "card",
                    Card = new PaymentMethodCardOptions
                    {
                        Number = request.Card.Number,
                        ExpMonth = request.Card.ExpiryMonth,
                        ExpYear = request.Card.ExpiryYear,
                        Cvc = request.Card.Cvc,
                    },
                    BillingDetails = string.IsNullOrWhiteSpace(request.Card.CardholderName)
                        ? null
                        : new PaymentMethodBillingDetailsOptions { Name = request.Card.CardholderName },
                    Metadata = new Dictionary<string, string> { [OrderIdMetadataKey] = orderId },
                },
                new RequestOptions { IdempotencyKey = ChargeKey(request) + "-pm" },
                cancellationToken).ConfigureAwait(false);
        }
        catch (StripeException ex) when (IsCardError(ex))
        {
            return Declined(request.OrderId, ex, "payment_method");
        }

        PaymentIntent intent;
        try
        {
            var createOptions = new PaymentIntentCreateOptions
            {
                Amount = Currencies.ToCurrencyMinorUnits(request.AmountMinor, request.Currency),
                Currency = request.Currency.ToLowerInvariant(),
                Description = request.Description,
                PaymentMethod = paymentMethod.Id,
                // Card-only server-side confirm: no redirect-based methods, so no return_url is needed.
                AutomaticPaymentMethods = new PaymentIntentAutomaticPaymentMethodsOptions { Enabled = true, AllowRedirects = "never" },
                Confirm = true,
                // Server-side confirmation: never wait for a browser redirect / 3DS challenge; fail instead.
                ErrorOnRequiresAction = true,
                Metadata = new Dictionary<string, string> { [OrderIdMetadataKey] = orderId },
            };
            createOptions.AddExpand("latest_charge");
            intent = await new PaymentIntentService(_client).CreateAsync(
                createOptions,
                new RequestOptions { IdempotencyKey = ChargeKey(request) },
                cancellationToken).ConfigureAwait(false);
        }
        catch (StripeException ex) when (IsCardError(ex))
        {
            return Declined(request.OrderId, ex, "payment_intent");
        }

        var result = ToChargeResult(intent, paymentMethod);
        _logger.LogInformation(
            "Stripe charge for order {OrderId}: {Outcome} (payment_intent {PaymentIntentId}, status {Status}, request {RequestId})",
            request.OrderId, result.Approved ? "approved" : "declined", intent.Id, intent.Status, intent.StripeResponse?.RequestId);
        return result;
    }

    public async Task<ChargeResult?> FindChargeAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var id = orderId.ToString("D");
        var options = new PaymentIntentSearchOptions
        {
            // Note: the Search API is eventually consistent (new intents can take ~1 minute to appear).
            Query = $"metadata['{OrderIdMetadataKey}']:'{id}'",
            Limit = 10,
        };
        options.AddExpand("data.latest_charge");
        options.AddExpand("data.payment_method");

        var found = await new PaymentIntentService(_client).SearchAsync(options, requestOptions: null, cancellationToken).ConfigureAwait(false);
        var intents = found?.Data ?? [];
        if (intents.Count == 0)
        {
            _logger.LogInformation("Stripe search for order {OrderId}: none found (request {RequestId})", orderId, found?.StripeResponse?.RequestId);
            return null;
        }

        // Prefer a succeeded intent; otherwise the most recent attempt.
        var intent = intents.FirstOrDefault(i => i.Status == "succeeded") ?? intents.OrderByDescending(i => i.Created).First();
        var result = ToChargeResult(intent, intent.PaymentMethod);
        _logger.LogInformation(
            "Stripe search for order {OrderId}: {Outcome} (payment_intent {PaymentIntentId}, status {Status}, request {RequestId})",
            orderId, result.Approved ? "approved" : "not approved", intent.Id, intent.Status, found?.StripeResponse?.RequestId);
        return result;
    }

    public async Task<RefundResult> RefundAsync(Guid orderId, string gatewayReference, long amountMinor, string currency, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gatewayReference);
        try
        {
            // currency is implied by the PaymentIntent (RefundCreateOptions.Currency is only for customer-balance refunds).
            var refund = await new RefundService(_client).CreateAsync(
                new RefundCreateOptions
                {
                    PaymentIntent = gatewayReference,
                    Amount = Currencies.ToCurrencyMinorUnits(amountMinor, currency),
                    Metadata = new Dictionary<string, string> { [OrderIdMetadataKey] = orderId.ToString("D") },
                },
                new RequestOptions { IdempotencyKey = "refund-" + orderId.ToString("D") },
                cancellationToken).ConfigureAwait(false);

            var ok = refund.Status is "succeeded" or "pending";
            _logger.LogInformation(
                "Stripe refund for order {OrderId} ({Amount} {Currency}): {Outcome} (refund {RefundId}, status {Status}, request {RequestId})",
                orderId, amountMinor, currency, ok ? "succeeded" : "failed", refund.Id, refund.Status, refund.StripeResponse?.RequestId);
            return new RefundResult(ok, refund.Id, ok ? null : refund.FailureReason ?? refund.Status);
        }
        catch (StripeException ex) when (ex.HttpStatusCode is HttpStatusCode.BadRequest or HttpStatusCode.PaymentRequired or HttpStatusCode.NotFound)
        {
            var error = ex.StripeError?.Code ?? ex.StripeError?.Type ?? "refund_failed";
            _logger.LogWarning(
                "Stripe refund for order {OrderId}: failed with {ErrorCode} (HTTP {Status}, request {RequestId})",
                orderId, error, (int)ex.HttpStatusCode, ex.StripeResponse?.RequestId);
            return new RefundResult(false, null, error);
        }
    }

    /// <summary>Maps a Stripe error code / decline code to our decline vocabulary.</summary>
    public static string MapDeclineCode(string? code, string? declineCode)
    {
        foreach (var c in new[] { declineCode, code })
        {
            switch (c)
            {
                case null or "":
                    continue;
                case "insufficient_funds":
                    return DeclineInsufficientFunds;
                case "expired_card":
                    return DeclineCardExpired;
                default:
                    if (InvalidCardCodes.Contains(c))
                    {
                        return DeclineInvalidCard;
                    }

                    break;
            }
        }

        return DeclineCardDeclined;
    }

    /// <summary>"charge-{order}" for the first attempt of an order, "charge-{order}-{attempt}" for a retry after a decline.</summary>
    private static string ChargeKey(ChargeRequest request) =>
        string.IsNullOrEmpty(request.AttemptKey) ? "charge-" + request.OrderId.ToString("D") : "charge-" + request.OrderId.ToString("D") + "-" + request.AttemptKey;

    private static bool IsCardError(StripeException ex) =>
        string.Equals(ex.StripeError?.Type, "card_error", StringComparison.Ordinal);

    private ChargeResult Declined(Guid orderId, StripeException ex, string stage)
    {
        var error = ex.StripeError;
        var decline = MapDeclineCode(error?.Code, error?.DeclineCode);
        // The failed PaymentIntent (if any) carries brand/last4 of the attempted card — never the full number.
        var card = error?.PaymentMethod?.Card;
        _logger.LogInformation(
            "Stripe charge for order {OrderId}: declined {DeclineCode} at {Stage} (stripe code {StripeCode}, decline_code {StripeDeclineCode}, payment_intent {PaymentIntentId}, request {RequestId})",
            orderId, decline, stage, error?.Code, error?.DeclineCode, error?.PaymentIntent?.Id, ex.StripeResponse?.RequestId);
        return new ChargeResult(false, error?.PaymentIntent?.Id, card?.Brand, card?.Last4, decline);
    }

    private static ChargeResult ToChargeResult(PaymentIntent intent, PaymentMethod? paymentMethod)
    {
        var chargeCard = intent.LatestCharge?.PaymentMethodDetails?.Card;
        var pmCard = paymentMethod?.Card ?? intent.PaymentMethod?.Card;
        var brand = chargeCard?.Brand ?? pmCard?.Brand;
        var last4 = chargeCard?.Last4 ?? pmCard?.Last4;

        if (string.Equals(intent.Status, "succeeded", StringComparison.Ordinal))
        {
            return new ChargeResult(true, intent.Id, brand, last4, null);
        }

        var err = intent.LastPaymentError;
        var decline = err is not null
            ? MapDeclineCode(err.Code, err.DeclineCode)
            : MapDeclineCode(intent.LatestCharge?.FailureCode, intent.LatestCharge?.Outcome?.Reason);
        return new ChargeResult(false, intent.Id, brand ?? err?.PaymentMethod?.Card?.Brand, last4 ?? err?.PaymentMethod?.Card?.Last4, decline);
    }

    /// <summary>A partial refund (some tickets): its own idempotency key, so that each part is refunded once.</summary>
    public async Task<RefundResult> RefundPartAsync(Guid orderId, string gatewayReference, long amountMinor, string currency, string refundKey,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(gatewayReference);
        try
        {
            var refund = await new RefundService(_client).CreateAsync(
                new RefundCreateOptions
                {
                    PaymentIntent = gatewayReference,
                    Amount = Currencies.ToCurrencyMinorUnits(amountMinor, currency),
                    Metadata = new Dictionary<string, string> { [OrderIdMetadataKey] = orderId.ToString("D") },
                },
                new RequestOptions { IdempotencyKey = "refund-" + refundKey },
                cancellationToken).ConfigureAwait(false);
            var ok = refund.Status is "succeeded" or "pending";
            _logger.LogInformation("Stripe partial refund {RefundKey} for order {OrderId} ({Amount} {Currency}): {Outcome} (refund {RefundId})",
                refundKey, orderId, amountMinor, currency, ok ? "succeeded" : "failed", refund.Id);
            return new RefundResult(ok, refund.Id, ok ? null : refund.FailureReason ?? refund.Status);
        }
        catch (StripeException ex) when (ex.HttpStatusCode is HttpStatusCode.BadRequest or HttpStatusCode.PaymentRequired or HttpStatusCode.NotFound)
        {
            var error = ex.StripeError?.Code ?? ex.StripeError?.Type ?? "refund_failed";
            _logger.LogWarning("Stripe partial refund {RefundKey} for order {OrderId}: failed with {ErrorCode}", refundKey, orderId, error);
            return new RefundResult(false, null, error);
        }
    }
}
