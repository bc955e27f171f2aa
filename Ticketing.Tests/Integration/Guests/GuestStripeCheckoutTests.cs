using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Guests;
using Ticketing.Core.Orders;
using Ticketing.Tests.Infrastructure;
using Ticketing.Tests.Integration.Payments;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Guests;

/// <summary>
/// A guest pays on Stripe's hosted page (the fake Stripe): the page sends the guest back to the guest order page, not to
/// <c>/checkout</c> (which needs an account), and the signed webhook makes the order Paid.
/// </summary>
public abstract class GuestStripeCheckoutTests(StripeCheckoutApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task TheHostedPage_ReturnsTheGuestToTheGuestOrderPage_AndTheWebhookPaysTheOrder()
    {
        var ev = await Event(app).WithCategory("Cat 1", 4500, 10).SaveAsync();
        var created = await (await app.CreateClient().PostAsJsonAsync("/api/guest/orders", new
        {
            performanceId = ev.PerformanceId, items = new[] { new { categoryId = ev.Categories[0].Id, quantity = 2 } },
            email = $"guest-{Guid.NewGuid():N}@test.local", displayName = "Lou Guest",
        })).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("order").GetProperty("id").GetGuid();
        var token = created.GetProperty("accessToken").GetString()!;
        var guest = app.CreateClient();
        guest.DefaultRequestHeaders.Add(GuestAccess.Header, token);

        var checkout = await (await guest.PostAsync($"/api/guest/orders/{id}/checkout", null)).ReadJsonAsync();
        Assert.Equal("stripe", checkout.GetProperty("provider").GetString());
        var sessionId = checkout.GetProperty("sessionId").GetString()!;
        var create = Assert.Single(app.Stripe.Requests, r => r is { Method: "POST", Path: "/v1/checkout/sessions" } && r.Form["client_reference_id"] == id.ToString("D"));
        var success = new Uri(create.Form["success_url"]!.Replace("{CHECKOUT_SESSION_ID}", sessionId));
        Assert.Equal($"{GuestAccess.PagePath(id, token)}/return/checkout/{id}/complete", success.AbsolutePath);
        Assert.EndsWith($"{GuestAccess.PagePath(id, token)}/return/checkout/{id}", create.Form["cancel_url"]!);

        // Back before the webhook: the page waits for it (no sign-in asked).
        var pending = await app.CreateClient().GetAsync(success.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, pending.StatusCode);
        Assert.Contains("data-testid=\"payment-pending\"", await pending.Content.ReadAsStringAsync());

        app.Checkout.Pay(sessionId);
        var signed = app.Checkout.CompletedEvent(sessionId, app.Clock.GetUtcNow());
        using var webhook = new HttpRequestMessage(HttpMethod.Post, "/api/payments/webhooks/stripe")
            { Content = new StringContent(signed.Payload, Encoding.UTF8, "application/json") };
        webhook.Headers.TryAddWithoutValidation("Stripe-Signature", signed.Signature);
        (await app.CreateClient().SendAsync(webhook)).EnsureSuccessStatusCode();

        Assert.Equal(OrderStatus.Paid, await QueryAsync(app, db => db.Orders.Where(o => o.Id == id).Select(o => o.Status).FirstAsync()));
        Assert.Contains("data-testid=\"order-confirmation\"", await app.CreateClient().GetStringAsync(success.PathAndQuery));
        // A forged return address (another token) shows nothing.
        var forged = success.PathAndQuery.Replace(token, "A" + token[1..] == token ? "B" + token[1..] : "A" + token[1..]);
        Assert.Contains("data-testid=\"guest-order-not-found\"", await app.CreateClient().GetStringAsync(forged));
    }
}

public sealed class GuestStripeCheckoutTests_Sqlite(SqliteStripeCheckoutApp app) : GuestStripeCheckoutTests(app), IClassFixture<SqliteStripeCheckoutApp>;

public sealed class GuestStripeCheckoutTests_Postgres(PostgresStripeCheckoutApp app) : GuestStripeCheckoutTests(app), IClassFixture<PostgresStripeCheckoutApp>;
