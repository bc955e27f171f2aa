using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Notifications;
using Ticketing.Core.Orders;
using Ticketing.Core.Payments;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Payments;

/// <summary>The app with <c>Payments:Provider=Stripe</c> against the fake Stripe (Checkout Sessions, refunds, signed webhooks).</summary>
public abstract class StripeCheckoutApp : TicketingApp
{
    public const string WebhookSecret = "whsec_test_TicketingFakeStripeSecret";
    public FakeStripeServer Stripe { get; } = new();
    public FakeStripeCheckout Checkout { get; }

    protected StripeCheckoutApp() => Checkout = new FakeStripeCheckout(Stripe, WebhookSecret);

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Payments:Provider"] = "Stripe",
        ["Payments:Stripe:SecretKey"] = "sk_test_51FakeKeyForTicketingTests0000000000",
        ["Payments:Stripe:ApiBase"] = Stripe.BaseUrl,
        ["Payments:Stripe:MaxNetworkRetries"] = "0",
        ["Payments:Stripe:WebhookSecret"] = WebhookSecret,
    };

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Stripe.Dispose();
    }
}

public sealed class SqliteStripeCheckoutApp : StripeCheckoutApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
}

public sealed class PostgresStripeCheckoutApp : StripeCheckoutApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
}

public abstract class StripeCheckoutTests(StripeCheckoutApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(HttpClient Client, Guid OrderId, string SessionId, TestEvent Event)> CheckoutAsync(int capacity = 10)
    {
        var ev = await Event(app).WithCategory("Cat 1", 4500, capacity).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();
        var id = (await HoldAsync(client, ev, 2)).GetProperty("id").GetGuid();
        var checkout = await (await client.PostAsync($"/api/orders/{id}/checkout", null)).ReadJsonAsync();
        Assert.Equal("stripe", checkout.GetProperty("provider").GetString());
        var sessionId = checkout.GetProperty("sessionId").GetString()!;
        Assert.Equal("https://checkout.stripe.com/c/pay/" + sessionId, checkout.GetProperty("redirectUrl").GetString());
        return (client, id, sessionId, ev);
    }

    private async Task<HttpResponseMessage> PostWebhookAsync((string Payload, string Signature) signed)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/webhooks/stripe")
            { Content = new StringContent(signed.Payload, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", signed.Signature);
        return await app.CreateClient().SendAsync(request);
    }

    private Task<OrderStatus> StatusAsync(Guid orderId) => QueryAsync(app, db => db.Orders.Where(o => o.Id == orderId).Select(o => o.Status).FirstAsync());

    [Fact]
    public async Task Checkout_CreatesAStripeCheckoutSessionForTheHeldOrder_UntilTheExtendedHoldEnds()
    {
        var (_, id, sessionId, _) = await CheckoutAsync();
        var create = Assert.Single(app.Stripe.Requests, r => r is { Method: "POST", Path: "/v1/checkout/sessions" } && r.Form["client_reference_id"] == id.ToString("D"));
        Assert.Equal("payment", create.Form["mode"]);
        Assert.Equal(id.ToString("D"), create.Form["client_reference_id"]);
        Assert.Equal("9000", create.Form["line_items[0][price_data][unit_amount]"]);
        Assert.Equal("eur", create.Form["line_items[0][price_data][currency]"]);
        Assert.Equal(id.ToString("D"), create.Form["payment_intent_data[metadata][order_id]"]);
        Assert.Contains($"/checkout/{id}/complete", create.Form["success_url"]);
        var hold = await QueryAsync(app, db => db.Orders.Where(o => o.Id == id).Select(o => o.ExpiresAt).FirstAsync());
        Assert.Equal(hold.ToUnixTimeSeconds(), app.Checkout.Sessions[sessionId].ExpiresAt);
        Assert.True(hold >= app.Clock.GetUtcNow().AddMinutes(31), "Stripe's shortest session is 30 minutes");
    }

    [Fact]
    public async Task CardNumbersSentToTheApi_AreRefusedWithCardEntryNotAllowed_AndNeverReachStripe()
    {
        var ev = await Event(app).WithCategory("Cat 1", 4500, 10).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();
        var id = (await HoldAsync(client, ev, 1)).GetProperty("id").GetGuid();
        await (await client.PostAsJsonAsync($"/api/orders/{id}/payment", Card())).AssertProblemAsync(HttpStatusCode.BadRequest, "card_entry_not_allowed");
        Assert.DoesNotContain(app.Stripe.Requests, r => r.Path.StartsWith("/v1/payment", StringComparison.Ordinal));
        Assert.Equal(OrderStatus.Reserved, await StatusAsync(id));
    }

    [Fact]
    public async Task StripesSignedWebhook_MakesTheOrderPaid_AndAWrongSecretChangesNothing()
    {
        var (_, id, sessionId, _) = await CheckoutAsync();
        app.Checkout.Pay(sessionId);
        var signed = app.Checkout.CompletedEvent(sessionId, app.Clock.GetUtcNow());
        var forged = (signed.Payload, FakeStripeCheckout.Sign(signed.Payload, "whsec_someone_else", app.Clock.GetUtcNow()));
        await (await PostWebhookAsync(forged)).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_signature");
        Assert.Equal(OrderStatus.Reserved, await StatusAsync(id));

        (await PostWebhookAsync(signed)).EnsureSuccessStatusCode();
        Assert.Equal(OrderStatus.Paid, await StatusAsync(id));
        var payment = await QueryAsync(app, db => db.Payments.SingleAsync(p => p.OrderId == id));
        Assert.Equal(("stripe", PaymentStatus.Approved, app.Checkout.Sessions[sessionId].PaymentIntent), (payment.Provider, payment.Status, payment.GatewayReference));
    }

    [Fact]
    public async Task EventsOutOfOrder_AnExpiredAfterTheCompletedChangesNothing()
    {
        var (_, id, sessionId, _) = await CheckoutAsync();
        app.Checkout.Pay(sessionId);
        (await PostWebhookAsync(app.Checkout.CompletedEvent(sessionId, app.Clock.GetUtcNow()))).EnsureSuccessStatusCode();
        var expired = await (await PostWebhookAsync(app.Checkout.CompletedEvent(sessionId, app.Clock.GetUtcNow(), type: "checkout.session.expired"))).ReadJsonAsync();
        Assert.Equal("Ignored", expired.GetProperty("outcome").GetString());
        Assert.Equal(OrderStatus.Paid, await StatusAsync(id));
        Assert.Equal(CheckoutSessionStatus.Completed, await QueryAsync(app, db => db.CheckoutSessions.Where(s => s.Id == sessionId).Select(s => s.Status).FirstAsync()));
    }

    [Fact]
    public async Task LostWebhook_TheReconciliationAsksStripeAndPays()
    {
        var (_, id, sessionId, _) = await CheckoutAsync();
        app.Checkout.Pay(sessionId); // Stripe took the money; its webhook is lost
        app.Clock.Advance(CheckoutService.ReconcileAfter + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await WithServiceAsync<CheckoutService, int>(app, c => c.ReconcileAsync()));
        Assert.Contains(app.Stripe.Requests, r => r.Method == "GET" && r.Path == "/v1/checkout/sessions/" + sessionId);
        Assert.Equal(OrderStatus.Paid, await StatusAsync(id));
    }

    [Fact]
    public async Task HoldEndedWithThePageStillOpen_TheReconciliationExpiresTheSessionAtStripe()
    {
        var (_, id, sessionId, _) = await CheckoutAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(40));
        await WithServiceAsync<OrderService, int>(app, o => o.ExpireHoldsAsync(app.Clock.GetUtcNow()));
        Assert.Equal(1, await WithServiceAsync<CheckoutService, int>(app, c => c.ReconcileAsync()));
        Assert.Contains(app.Stripe.Requests, r => r.Method == "POST" && r.Path == $"/v1/checkout/sessions/{sessionId}/expire");
        Assert.Equal("expired", app.Checkout.Sessions[sessionId].Status);
        Assert.Equal(CheckoutSessionStatus.Expired, await QueryAsync(app, db => db.CheckoutSessions.Where(s => s.Id == sessionId).Select(s => s.Status).FirstAsync()));
    }

    [Fact]
    public async Task PaidAfterTheSeatsWereSoldToSomeoneElse_IsRefundedThroughStripe_AndTheBuyerMailed()
    {
        var (_, id, sessionId, ev) = await CheckoutAsync(capacity: 2);
        app.Checkout.Pay(sessionId);
        app.Clock.Advance(TimeSpan.FromMinutes(40));
        await WithServiceAsync<OrderService, int>(app, o => o.ExpireHoldsAsync(app.Clock.GetUtcNow()));
        // Someone else takes the two seats (a free order: no card needed with Stripe configured).
        await QueryAsync(app, db => db.PriceCategories.Where(c => c.Id == ev.Categories[0].Id).ExecuteUpdateAsync(s => s.SetProperty(c => c.Sold, 2)));

        var outcome = await (await PostWebhookAsync(app.Checkout.CompletedEvent(sessionId, app.Clock.GetUtcNow()))).ReadJsonAsync();
        Assert.Equal("Refunded", outcome.GetProperty("outcome").GetString());
        var refund = Assert.Single(app.Checkout.Refunds);
        Assert.Equal((app.Checkout.Sessions[sessionId].PaymentIntent, 9000L), (refund.PaymentIntent, refund.Amount));
        Assert.Equal(PaymentStatus.Refunded, (await QueryAsync(app, db => db.Payments.SingleAsync(p => p.OrderId == id))).Status);
        Assert.Equal(1, await QueryAsync(app, db => db.Notifications.CountAsync(n => n.OrderId == id && n.Kind == NotificationKind.OrderRefunded)));
    }
}

public sealed class SqliteStripeCheckoutTests(SqliteStripeCheckoutApp app) : StripeCheckoutTests(app), IClassFixture<SqliteStripeCheckoutApp>;

public sealed class PostgresStripeCheckoutTests(PostgresStripeCheckoutApp app) : StripeCheckoutTests(app), IClassFixture<PostgresStripeCheckoutApp>;
