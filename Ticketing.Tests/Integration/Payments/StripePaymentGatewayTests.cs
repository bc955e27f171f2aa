using Microsoft.Extensions.Options;
using Ticketing.Core.Payments;
using Xunit;

namespace Ticketing.Tests.Integration.Payments;

/// <summary>
/// Runs <see cref="StripePaymentGateway"/> (real Stripe.net 53.1.0 client, real HTTP) against a local server that
/// replays recorded Stripe API answers from StripeRecordings/*.json.
/// </summary>
public sealed class StripePaymentGatewayTests : IDisposable
{
    private const string SecretKey = "sk_test_51FakeKeyForTicketingTests0000000000";
    private const string CardNumber = "4242424242424242";
    private const string Cvc = "314";

    private readonly FakeStripeServer _server = new();
    private readonly HttpClient _http = new();
    private readonly CapturingLogger<StripePaymentGateway> _logger = new();
    private readonly Guid _orderId = Guid.NewGuid();

    public StripePaymentGatewayTests() => _server.OrderId = _orderId.ToString("D");

    public void Dispose()
    {
        _http.Dispose();
        _server.Dispose();
    }

    private StripePaymentGateway CreateGateway(int maxNetworkRetries = 0) => new(
        Options.Create(new StripeOptions { SecretKey = SecretKey, ApiBase = _server.BaseUrl, MaxNetworkRetries = maxNetworkRetries }),
        _http,
        _logger);

    private ChargeRequest Charge(string cardNumber = CardNumber) => new(
        _orderId, 4250, "EUR", new CardDetails(cardNumber, 12, 2030, Cvc, "Ada Lovelace"), "Ticketing order");

    private static StripeRecordedAnswer Ok(string file) => new(200, file);

    private void AssertNoCardDataLogged(string cardNumber = CardNumber)
    {
        Assert.NotEmpty(_logger.Entries);
        Assert.DoesNotContain(cardNumber, _logger.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(Cvc + ",", _logger.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("=" + Cvc, _logger.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain(SecretKey, _logger.AllText, StringComparison.Ordinal);
    }

    private RecordedStripeRequest SingleRequest(string method, string path) =>
        Assert.Single(_server.Requests, r => r.Method == method && r.Path == path);

    [Fact]
    public async Task Charge_approved_maps_reference_brand_and_last4_and_sends_idempotent_authenticated_form()
    {
        _server.On("POST", "/v1/payment_methods", Ok("payment_method_visa.json"))
               .On("POST", "/v1/payment_intents", Ok("payment_intent_succeeded.json"));
        var gateway = CreateGateway();

        var result = await gateway.ChargeAsync(Charge(), CancellationToken.None);

        Assert.Equal("stripe", gateway.Name);
        Assert.True(result.Approved);
        Assert.Equal("pi_3QfZk3LkdIwHu7ix0Yd6Ttq1", result.GatewayReference);
        Assert.Equal("visa", result.CardBrand);
        Assert.Equal("4242", result.Last4);
        Assert.Null(result.DeclineCode);

        var intent = SingleRequest("POST", "/v1/payment_intents");
        Assert.Equal("charge-" + _orderId.ToString("D"), intent.IdempotencyKey);
        Assert.Equal("Bearer " + SecretKey, intent.Authorization);
        Assert.Equal("4250", intent.Form["amount"]);
        Assert.Equal("eur", intent.Form["currency"]);
        Assert.Equal(_orderId.ToString("D"), intent.Form["metadata[order_id]"]);
        Assert.Equal("true", intent.Form["confirm"]);
        Assert.Equal("pm_1QfZk2LkdIwHu7ixR3c0aBcD", intent.Form["payment_method"]);
        Assert.Equal("never", intent.Form["automatic_payment_methods[allow_redirects]"]);
        Assert.DoesNotContain(CardNumber, intent.RawBody, StringComparison.Ordinal);

        // The card goes to Stripe only in the PaymentMethod creation (test-mode raw card data), under its own key.
        var pm = SingleRequest("POST", "/v1/payment_methods");
        Assert.Equal("charge-" + _orderId.ToString("D") + "-pm", pm.IdempotencyKey);
        Assert.Equal("Bearer " + SecretKey, pm.Authorization);
        Assert.Equal("card", pm.Form["type"]);
        Assert.Equal(CardNumber, pm.Form["card[number]"]);

        AssertNoCardDataLogged();
        Assert.Contains(_logger.Entries, e => e.Contains(_orderId.ToString("D"), StringComparison.Ordinal) && e.Contains("approved", StringComparison.Ordinal) && e.Contains("req_", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("error_card_declined.json", "card_declined", "0002")]
    [InlineData("error_insufficient_funds.json", "insufficient_funds", "9995")]
    [InlineData("error_expired_card.json", "card_expired", "0069")]
    public async Task Charge_declined_by_issuer_maps_to_our_decline_code(string recording, string expectedCode, string last4)
    {
        _server.On("POST", "/v1/payment_methods", Ok("payment_method_visa.json"))
               .On("POST", "/v1/payment_intents", new StripeRecordedAnswer(402, recording));

        var result = await CreateGateway().ChargeAsync(Charge(), CancellationToken.None);

        Assert.False(result.Approved);
        Assert.Equal(expectedCode, result.DeclineCode);
        Assert.Equal("pi_3QfZm9LkdIwHu7ix1Hq2Dcl1", result.GatewayReference);
        Assert.Equal(last4, result.Last4);
        Assert.Equal("charge-" + _orderId.ToString("D"), SingleRequest("POST", "/v1/payment_intents").IdempotencyKey);
        AssertNoCardDataLogged();
        Assert.Contains(_logger.Entries, e => e.Contains(expectedCode, StringComparison.Ordinal) && e.Contains(_orderId.ToString("D"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Charge_with_incorrect_number_maps_to_invalid_card_without_creating_an_intent()
    {
        const string badNumber = "4242424242424241";
        _server.On("POST", "/v1/payment_methods", new StripeRecordedAnswer(402, "error_incorrect_number.json"));

        var result = await CreateGateway().ChargeAsync(Charge(badNumber), CancellationToken.None);

        Assert.False(result.Approved);
        Assert.Equal("invalid_card", result.DeclineCode);
        Assert.Null(result.GatewayReference);
        Assert.DoesNotContain(_server.Requests, r => r.Path == "/v1/payment_intents");
        AssertNoCardDataLogged(badNumber);
    }

    [Theory]
    [InlineData("card_declined", "generic_decline", "card_declined")]
    [InlineData("card_declined", "insufficient_funds", "insufficient_funds")]
    [InlineData("expired_card", null, "card_expired")]
    [InlineData("incorrect_number", null, "invalid_card")]
    [InlineData("invalid_number", null, "invalid_card")]
    [InlineData("incorrect_cvc", null, "invalid_card")]
    [InlineData("card_declined", "incorrect_cvc", "invalid_card")]
    [InlineData("authentication_required", "authentication_required", "card_declined")]
    [InlineData("processing_error", null, "card_declined")]
    public void Stripe_codes_map_to_our_vocabulary(string code, string? declineCode, string expected) =>
        Assert.Equal(expected, StripePaymentGateway.MapDeclineCode(code, declineCode));

    [Fact]
    public async Task Retried_charge_sends_the_same_idempotency_key()
    {
        // Stripe.net's own network retry (503 + Stripe-Should-Retry) then an application-level retry after a "crash".
        _server.On("POST", "/v1/payment_methods", Ok("payment_method_visa.json"))
               .On("POST", "/v1/payment_intents",
                   new StripeRecordedAnswer(503, "error_api_503.json", new Dictionary<string, string> { ["Stripe-Should-Retry"] = "true" }),
                   Ok("payment_intent_succeeded.json"));
        var gateway = CreateGateway(maxNetworkRetries: 1);

        var first = await gateway.ChargeAsync(Charge(), CancellationToken.None);
        var second = await gateway.ChargeAsync(Charge(), CancellationToken.None);

        Assert.True(first.Approved);
        Assert.Equal(first, second);
        var intents = _server.Requests.Where(r => r.Path == "/v1/payment_intents").ToList();
        Assert.Equal(3, intents.Count);
        Assert.All(intents, r => Assert.Equal("charge-" + _orderId.ToString("D"), r.IdempotencyKey));
        Assert.Single(intents.Select(r => r.RawBody).Distinct());
        Assert.All(_server.Requests.Where(r => r.Path == "/v1/payment_methods"), r => Assert.Equal("charge-" + _orderId.ToString("D") + "-pm", r.IdempotencyKey));
        AssertNoCardDataLogged();
    }

    [Fact]
    public async Task FindCharge_returns_the_succeeded_intent_of_the_order()
    {
        _server.On("GET", "/v1/payment_intents/search", Ok("search_payment_intents.json"));

        var result = await CreateGateway().FindChargeAsync(_orderId, CancellationToken.None);

        Assert.NotNull(result);
        Assert.True(result.Approved);
        Assert.Equal("pi_3QfZk3LkdIwHu7ix0Yd6Ttq1", result.GatewayReference);
        Assert.Equal("visa", result.CardBrand);
        Assert.Equal("4242", result.Last4);
        Assert.Null(result.DeclineCode);

        var search = SingleRequest("GET", "/v1/payment_intents/search");
        Assert.Equal($"metadata['order_id']:'{_orderId:D}'", search.Query["query"]);
        Assert.Equal("Bearer " + SecretKey, search.Authorization);
    }

    [Fact]
    public async Task FindCharge_returns_null_when_stripe_never_saw_the_order()
    {
        _server.On("GET", "/v1/payment_intents/search", Ok("search_payment_intents_empty.json"));

        var result = await CreateGateway().FindChargeAsync(_orderId, CancellationToken.None);

        Assert.Null(result);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task Refund_succeeds_with_idempotency_key_per_order()
    {
        _server.On("POST", "/v1/refunds", Ok("refund_succeeded.json"));

        var result = await CreateGateway().RefundAsync(_orderId, "pi_3QfZk3LkdIwHu7ix0Yd6Ttq1", 4250, "EUR", CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal("re_3QfZk3LkdIwHu7ix0c9Vb2Lm", result.GatewayReference);
        Assert.Null(result.Error);

        var refund = SingleRequest("POST", "/v1/refunds");
        Assert.Equal("refund-" + _orderId.ToString("D"), refund.IdempotencyKey);
        Assert.Equal("Bearer " + SecretKey, refund.Authorization);
        Assert.Equal("pi_3QfZk3LkdIwHu7ix0Yd6Ttq1", refund.Form["payment_intent"]);
        Assert.Equal("4250", refund.Form["amount"]);
    }

    [Fact]
    public async Task Refund_rejected_by_stripe_reports_the_error()
    {
        // Nothing routed: the fake answers 404 invalid_request_error like Stripe does for an unknown intent.
        var result = await CreateGateway().RefundAsync(_orderId, "pi_missing", 4250, "EUR", CancellationToken.None);

        Assert.False(result.Succeeded);
        Assert.Null(result.GatewayReference);
        Assert.Equal("invalid_request_error", result.Error);
    }

    [Fact]
    public void Missing_secret_key_fails_fast()
    {
        var ex = Assert.Throws<InvalidOperationException>(() =>
            new StripePaymentGateway(Options.Create(new StripeOptions()), _http, _logger));
        Assert.Contains("Payments:Stripe:SecretKey", ex.Message, StringComparison.Ordinal);
    }
}
