using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Notifications;
using Ticketing.Core.Orders;
using Ticketing.Core.Payments;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Payments;

/// <summary>
/// The hosted payment flow with the simulated provider: checkout, the simulated page's charge, and the signed webhook
/// through the real endpoint (signature, exactly once, replay, parallel duplicates, late payments, lost webhooks, free orders).
/// </summary>
public abstract class HostedCheckoutTests(TicketingApp app) : IAsyncLifetime
{
    private const string Webhook = "/api/payments/webhooks/stripe";

    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(HttpClient Client, Guid OrderId, string SessionId, TestEvent Event)> CheckoutAsync(int capacity = 10, long price = 4500, int quantity = 2)
    {
        var ev = await Event(app).WithCategory("Cat 1", price, capacity).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();
        var id = (await HoldAsync(client, ev, quantity)).GetProperty("id").GetGuid();
        var checkout = await (await client.PostAsync($"/api/orders/{id}/checkout", null)).ReadJsonAsync();
        Assert.Equal("simulated", checkout.GetProperty("provider").GetString());
        var sessionId = checkout.GetProperty("sessionId").GetString()!;
        Assert.EndsWith("/pay/simulated/" + sessionId, checkout.GetProperty("redirectUrl").GetString());
        return (client, id, sessionId, ev);
    }

    private Task<SimulatedPayResult> PayOnPageAsync(string sessionId, string number = "4242424242424242") =>
        WithServiceAsync<SimulatedPaymentPage, SimulatedPayResult>(app, p => p.SubmitCardAsync(sessionId,
            new CardDetails(number, 12, app.Clock.GetUtcNow().Year + 2, "123", "Lou Buyer")));

    private async Task<HttpResponseMessage> PostWebhookAsync(string payload, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Webhook) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        return await app.CreateClient().SendAsync(request);
    }

    private Task<OrderStatus> StatusAsync(Guid orderId) => QueryAsync(app, db => db.Orders.Where(o => o.Id == orderId).Select(o => o.Status).FirstAsync());

    [Fact]
    public async Task Checkout_ExtendsTheHoldAndAnswersTheSameSessionTwice()
    {
        var (client, id, sessionId, _) = await CheckoutAsync();
        var expires = await QueryAsync(app, db => db.Orders.Where(o => o.Id == id).Select(o => o.ExpiresAt).FirstAsync());
        Assert.True(expires >= app.Clock.GetUtcNow().AddMinutes(34), $"hold until {expires}");
        var again = await (await client.PostAsync($"/api/orders/{id}/checkout", null)).ReadJsonAsync();
        Assert.Equal(sessionId, again.GetProperty("sessionId").GetString());
    }

    [Fact]
    public async Task SignedWebhook_MakesTheOrderPaid_AndAReplayChangesNothing()
    {
        var (_, id, sessionId, ev) = await CheckoutAsync();
        var paid = await PayOnPageAsync(sessionId);
        Assert.Equal(SimulatedPayStep.Paid, paid.Step);
        Assert.Matches(@"^t=\d+,v1=[0-9a-f]{64}$", paid.WebhookSignature);
        Assert.Equal(OrderStatus.Reserved, await StatusAsync(id)); // nothing before the webhook

        var first = await (await PostWebhookAsync(paid.WebhookPayload!, paid.WebhookSignature!)).ReadJsonAsync();
        Assert.Equal("Paid", first.GetProperty("outcome").GetString());
        var replay = await (await PostWebhookAsync(paid.WebhookPayload!, paid.WebhookSignature!)).ReadJsonAsync();
        Assert.Equal("AlreadyProcessed", replay.GetProperty("outcome").GetString());

        Assert.Equal(OrderStatus.Paid, await StatusAsync(id));
        Assert.Equal(2, await QueryAsync(app, db => db.Tickets.CountAsync(t => t.OrderId == id)));
        Assert.Equal(1, await QueryAsync(app, db => db.Payments.CountAsync(p => p.OrderId == id && p.Status == PaymentStatus.Approved)));
        Assert.Equal(1, await QueryAsync(app, db => db.Notifications.CountAsync(n => n.OrderId == id && n.Kind == NotificationKind.OrderConfirmed)));
        var category = await CategoryAsync(app, ev.Categories[0].Id);
        Assert.Equal((2, 0), (category.Sold, category.Held));
    }

    [Fact]
    public async Task Webhook_WithABadOrMissingSignature_Is400AndChangesNothing()
    {
        var (_, id, sessionId, _) = await CheckoutAsync();
        var paid = await PayOnPageAsync(sessionId);
        await (await PostWebhookAsync(paid.WebhookPayload!.Replace("\"paid\"", "\"paid\" "), paid.WebhookSignature!)).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_signature");
        await (await PostWebhookAsync(paid.WebhookPayload!, "t=1,v1=00")).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_signature");
        await (await PostWebhookAsync(paid.WebhookPayload!, "")).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_signature");
        // Signed too long ago (replay of an old capture): outside the five minutes' tolerance.
        app.Clock.Advance(TimeSpan.FromMinutes(6));
        await (await PostWebhookAsync(paid.WebhookPayload!, paid.WebhookSignature!)).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_signature");
        Assert.Equal(OrderStatus.Reserved, await StatusAsync(id));
        Assert.Equal(0, await QueryAsync(app, db => db.WebhookEvents.CountAsync()));
    }

    [Fact]
    public async Task ParallelDuplicateWebhooks_MakeOnePaymentAndOneSetOfTickets()
    {
        var (_, id, sessionId, _) = await CheckoutAsync();
        var paid = await PayOnPageAsync(sessionId);
        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => PostWebhookAsync(paid.WebhookPayload!, paid.WebhookSignature!)));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        Assert.Equal(OrderStatus.Paid, await StatusAsync(id));
        Assert.Equal(2, await QueryAsync(app, db => db.Tickets.CountAsync(t => t.OrderId == id)));
        Assert.Equal(1, await QueryAsync(app, db => db.Payments.CountAsync(p => p.OrderId == id)));
        Assert.Equal(1, await QueryAsync(app, db => db.WebhookEvents.CountAsync()));
    }

    [Fact]
    public async Task ThreeDSecureCard_AsksForAChallenge_FailDeclines_ApproveCharges()
    {
        var (_, id, sessionId, _) = await CheckoutAsync();
        Assert.Equal(SimulatedPayStep.ChallengeRequired, (await PayOnPageAsync(sessionId, SimulatedPaymentPage.ThreeDSecureCard)).Step);
        var failed = await WithServiceAsync<SimulatedPaymentPage, SimulatedPayResult>(app, p => p.CompleteChallengeAsync(sessionId, approve: false));
        Assert.Equal((SimulatedPayStep.Declined, "card_declined"), (failed.Step, failed.DeclineCode));
        Assert.Equal(0, await QueryAsync(app, db => db.SimulatedCharges.CountAsync(c => c.OrderId == id && c.Approved)));

        var approved = await WithServiceAsync<SimulatedPaymentPage, SimulatedPayResult>(app, p => p.CompleteChallengeAsync(sessionId, approve: true));
        Assert.Equal(SimulatedPayStep.Paid, approved.Step);
        (await PostWebhookAsync(approved.WebhookPayload!, approved.WebhookSignature!)).EnsureSuccessStatusCode();
        Assert.Equal(OrderStatus.Paid, await StatusAsync(id));
    }

    [Fact]
    public async Task DeclinedCardOnThePage_ChargesNothing_AndAnotherCardPays()
    {
        var (_, id, sessionId, _) = await CheckoutAsync();
        var declined = await PayOnPageAsync(sessionId, "4000000000009995");
        Assert.Equal((SimulatedPayStep.Declined, "insufficient_funds"), (declined.Step, declined.DeclineCode));
        var paid = await PayOnPageAsync(sessionId);
        (await PostWebhookAsync(paid.WebhookPayload!, paid.WebhookSignature!)).EnsureSuccessStatusCode();
        Assert.Equal(OrderStatus.Paid, await StatusAsync(id));
    }

    [Fact]
    public async Task PaymentAfterTheHoldExpired_IssuesTicketsWhenSeatsRemain()
    {
        var (_, id, sessionId, ev) = await CheckoutAsync(capacity: 5);
        var paid = await PayOnPageAsync(sessionId);
        app.Clock.Advance(TimeSpan.FromMinutes(40));
        await WithServiceAsync<OrderService, int>(app, o => o.ExpireHoldsAsync(app.Clock.GetUtcNow()));
        Assert.Equal(OrderStatus.Expired, await StatusAsync(id));
        app.Clock.Reset(); // the event is delivered late but signed now
        var outcome = await (await PostWebhookAsync(paid.WebhookPayload!, paid.WebhookSignature!)).ReadJsonAsync();
        Assert.Equal("Paid", outcome.GetProperty("outcome").GetString());
        Assert.Equal(OrderStatus.Paid, await StatusAsync(id));
        var category = await CategoryAsync(app, ev.Categories[0].Id);
        Assert.Equal((2, 0), (category.Sold, category.Held));
    }

    [Fact]
    public async Task PaymentAfterTheHoldExpired_WithTheSeatsSoldMeanwhile_IsRefundedAndTheBuyerTold()
    {
        var (_, id, sessionId, ev) = await CheckoutAsync(capacity: 2);
        var paid = await PayOnPageAsync(sessionId);
        app.Clock.Advance(TimeSpan.FromMinutes(40));
        await WithServiceAsync<OrderService, int>(app, o => o.ExpireHoldsAsync(app.Clock.GetUtcNow()));
        app.Clock.Reset();
        var (other, _, _) = await app.CreateUserClientAsync();
        var otherId = (await HoldAsync(other, ev, 2)).GetProperty("id").GetGuid();
        (await other.PostAsJsonAsync($"/api/orders/{otherId}/payment", Card())).EnsureSuccessStatusCode();

        var outcome = await (await PostWebhookAsync(paid.WebhookPayload!, paid.WebhookSignature!)).ReadJsonAsync();
        Assert.Equal("Refunded", outcome.GetProperty("outcome").GetString());
        Assert.Equal(OrderStatus.Expired, await StatusAsync(id));
        var payment = await QueryAsync(app, db => db.Payments.SingleAsync(p => p.OrderId == id));
        Assert.Equal(PaymentStatus.Refunded, payment.Status);
        Assert.NotNull(payment.RefundReference);
        Assert.True(await QueryAsync(app, db => db.SimulatedCharges.AnyAsync(c => c.OrderId == id && c.Refunded)));
        Assert.Equal(1, await QueryAsync(app, db => db.Notifications.CountAsync(n => n.OrderId == id && n.Kind == NotificationKind.OrderRefunded)));
        var category = await CategoryAsync(app, ev.Categories[0].Id);
        Assert.Equal((2, 0), (category.Sold, category.Held)); // never oversold
    }

    [Fact]
    public async Task LostWebhook_TheReconciliationAsksTheProviderAndPays()
    {
        var (_, id, sessionId, _) = await CheckoutAsync();
        var paid = await PayOnPageAsync(sessionId);
        Assert.Equal(SimulatedPayStep.Paid, paid.Step); // ... and the event never arrives
        Assert.Equal(0, await WithServiceAsync<CheckoutService, int>(app, c => c.ReconcileAsync())); // too early: the webhook may still come
        app.Clock.Advance(CheckoutService.ReconcileAfter + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await WithServiceAsync<CheckoutService, int>(app, c => c.ReconcileAsync()));
        Assert.Equal(OrderStatus.Paid, await StatusAsync(id));
        // The webhook, arriving at last, changes nothing.
        app.Clock.Reset();
        var late = await (await PostWebhookAsync(paid.WebhookPayload!, paid.WebhookSignature!)).ReadJsonAsync();
        Assert.Equal("AlreadyProcessed", late.GetProperty("outcome").GetString());
        Assert.Equal(1, await QueryAsync(app, db => db.Payments.CountAsync(p => p.OrderId == id)));
    }

    [Fact]
    public async Task UnknownEventTypes_AreAcknowledgedAndIgnored()
    {
        var payload = "{\"id\":\"evt_unknown_1\",\"object\":\"event\",\"api_version\":\"2025-09-30.clover\",\"created\":1,\"livemode\":false,"
            + "\"type\":\"customer.created\",\"data\":{\"object\":{\"id\":\"cus_1\",\"object\":\"customer\"}}}";
        var secret = await WithServiceAsync<WebhookSecrets, string>(app, s => s.GetAsync());
        var answer = await (await PostWebhookAsync(payload, StripeSignature.Header(payload, secret, app.Clock.GetUtcNow()))).ReadJsonAsync();
        Assert.Equal("Ignored", answer.GetProperty("outcome").GetString());
    }

    [Fact]
    public async Task FreeOrder_IsPaidWithAnEmptyBody_AndHasNoHostedPage()
    {
        var ev = await Event(app).WithCategory("Invitation", 0, 10).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();
        var id = (await HoldAsync(client, ev, 2)).GetProperty("id").GetGuid();
        await (await client.PostAsync($"/api/orders/{id}/checkout", null)).AssertProblemAsync(HttpStatusCode.Conflict, "order_not_payable");
        var paid = await (await client.PostAsJsonAsync($"/api/orders/{id}/payment", new { })).ReadJsonAsync();
        Assert.Equal("Paid", paid.GetProperty("status").GetString());
        Assert.Equal(2, paid.GetProperty("tickets").GetArrayLength());
        Assert.Equal(PaymentStatus.Approved, (await QueryAsync(app, db => db.Payments.SingleAsync(p => p.OrderId == id))).Status);

        // An order with something to pay is not free.
        var paying = await Event(app).WithCategory("Cat 1", 4500, 10).SaveAsync();
        var other = (await HoldAsync(client, paying, 1)).GetProperty("id").GetGuid();
        await (await client.PostAsJsonAsync($"/api/orders/{other}/payment", new { })).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_card");
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteHostedCheckoutTests(SqliteApp app) : HostedCheckoutTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresHostedCheckoutTests(PostgresApp app) : HostedCheckoutTests(app);
