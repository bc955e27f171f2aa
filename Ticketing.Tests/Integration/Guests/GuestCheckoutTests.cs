using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Bunit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;
using MimeKit;
using Ticketing.Core.Guests;
using Ticketing.Core.Notifications;
using Ticketing.Core.Orders;
using Ticketing.Core.Payments;
using Ticketing.Tests.Infrastructure;
using Ticketing.Tests.Integration.Notifications;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Guests;

/// <summary>
/// Guest checkout (issue 19 item 4): a fan buys with an email address only, pays, and opens the order and its PDFs by the
/// signed link of the confirmation mail (read from the real SMTP test server). A wrong or foreign token is a 404 like an
/// unknown order; the caps apply to the address (with an account of the same address); a confirmed account claims them.
/// </summary>
public abstract partial class GuestCheckoutTests(SmtpTicketingApp app) : IAsyncLifetime
{
    private readonly NotificationTestData data = new(app);
    private TestSmtpServer Smtp => app.Smtp;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        Smtp.Refusing = false;
        await Smtp.StartAsync();
        Smtp.Clear();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static string NewEmail() => $"guest-{Guid.NewGuid():N}@test.local";

    private static object GuestHold(TestEvent ev, string email, int quantity, string name = "Lou Guest", string? language = null) => new
    {
        performanceId = ev.PerformanceId, items = new[] { new { categoryId = ev.Categories[0].Id, quantity } }, email, displayName = name, language,
    };

    private async Task<(Guid Id, string Token, JsonElement Body)> GuestOrderAsync(TestEvent ev, string email, int quantity = 2, string? language = null)
    {
        var body = await (await app.CreateClient().PostAsJsonAsync("/api/guest/orders", GuestHold(ev, email, quantity, language: language)))
            .ReadJsonAsync(HttpStatusCode.Created);
        return (body.GetProperty("order").GetProperty("id").GetGuid(), body.GetProperty("accessToken").GetString()!, body);
    }

    private HttpClient GuestClient(string token)
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Add(GuestAccess.Header, token);
        return client;
    }

    private async Task<(MimeMessage Mail, Uri Link)> NextGuestLinkAsync()
    {
        var before = Smtp.Messages.Count;
        await data.DispatchAsync();
        var mail = Smtp.Messages.Skip(before).Single();
        var match = GuestLink().Match(mail.TextBody ?? "");
        Assert.True(match.Success, mail.TextBody);
        Assert.Contains(match.Value, mail.HtmlBody);
        return (mail, new Uri(match.Value));
    }

    private static (Guid Id, string Token) Parse(Uri link)
    {
        var parts = link.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return (Guid.Parse(parts[2]), Uri.UnescapeDataString(parts[3]));
    }

    [Fact]
    public async Task AGuest_BuysWithAnEmailOnly_PaysByCard_AndTheMailedSignedLinkOpensTheOrderAndItsPdfs()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 50).SaveAsync();
        var email = NewEmail();

        var (id, token, created) = await GuestOrderAsync(ev, email, 2, language: "fr");
        Assert.Equal("Reserved", created.GetProperty("order").GetProperty("status").GetString());
        Assert.EndsWith($"/guest/orders/{id}/{token}", created.GetProperty("orderUrl").GetString());
        var guest = GuestClient(token);
        var paid = await guest.PostAsJsonAsync($"/api/guest/orders/{id}/payment", Card());
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);

        var (mail, link) = await NextGuestLinkAsync();
        Assert.Equal(email, mail.To.Mailboxes.Single().Address);
        Assert.Contains("Lou Guest", mail.TextBody);
        Assert.Contains("Voir ma commande et mes billets", mail.TextBody);
        var (linkId, linkToken) = Parse(link);
        Assert.Equal((id, token), (linkId, linkToken));

        var order = await (await GuestClient(linkToken).GetAsync($"/api/guest/orders/{id}")).ReadJsonAsync();
        Assert.Equal("Paid", order.GetProperty("status").GetString());
        var tickets = await QueryAsync(app, db => db.Tickets.Where(t => t.OrderId == id).Select(t => t.Id).ToListAsync());
        Assert.Equal(2, tickets.Count);

        var anonymous = app.CreateClient();
        var all = await anonymous.GetAsync($"/api/guest/orders/{id}/tickets.pdf?token={Uri.EscapeDataString(linkToken)}");
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal("application/pdf", all.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("%PDF", Encoding.ASCII.GetString(await all.Content.ReadAsByteArrayAsync())[..4]);
        var one = await anonymous.GetAsync($"/api/guest/orders/{id}/tickets/{tickets[0]}/pdf?token={Uri.EscapeDataString(linkToken)}");
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
        Assert.Equal("application/pdf", one.Content.Headers.ContentType?.MediaType);

        // The page the mail links to renders the order, its tickets and their PDF links (French: the order's language).
        var pageClient = app.CreateClient();
        pageClient.DefaultRequestHeaders.AcceptLanguage.ParseAdd("fr");
        var page = await pageClient.GetStringAsync(link.PathAndQuery);
        Assert.Contains("data-testid=\"order-confirmation\"", page);
        var number = await QueryAsync(app, db => db.Tickets.Where(t => t.OrderId == id).Select(t => t.Number).FirstAsync());
        Assert.Contains(number, page);
        Assert.Contains($"/api/guest/orders/{id}/tickets.pdf?token={Uri.EscapeDataString(linkToken)}", WebUtility.HtmlDecode(page));
        Assert.Contains("Télécharger tous les billets (PDF)", WebUtility.HtmlDecode(page));

    }

    [Theory]
    [InlineData("en", "Continue as guest")]
    [InlineData("fr", "Continuer en tant qu’invité")]
    public async Task TheBookingPanel_OffersContinueAsGuest_ToASignedOutFan_AndBooksWithAnEmailAndAName(string language, string text)
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 50).SaveAsync();
        var email = NewEmail();
        var culture = System.Globalization.CultureInfo.GetCultureInfo(language);
        var (before, beforeUi) = (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture);
        System.Globalization.CultureInfo.CurrentCulture = System.Globalization.CultureInfo.CurrentUICulture = culture;
        try
        {
            // The real app's services (database, services, localizer) behind a bUnit renderer, signed out.
            await using var scope = app.Services.CreateAsyncScope();
            await using var ctx = new Bunit.BunitContext();
            ctx.JSInterop.Mode = Bunit.JSRuntimeMode.Loose;
            ctx.Services.AddMudServices();
            ctx.Services.AddFallbackServiceProvider(scope.ServiceProvider);
            ctx.AddAuthorization();
            var cut = ctx.Render<Ticketing.Web.Features.Orders.BookingPanel>(p => p.Add(x => x.PerformanceId, ev.PerformanceId));
            cut.WaitForElement("[data-testid=guest-checkout]");
            Assert.Contains(text, cut.Find("[data-testid=guest-checkout] summary").TextContent);

            // Nothing chosen: the guest button waits for a quantity.
            Assert.True(cut.Find("[data-testid=guest-book]").HasAttribute("disabled"));
            cut.FindAll(".tk-booking-category button")[1].Click();
            cut.Find("[data-testid=guest-email]").Change("not-an-address");
            cut.Find("[data-testid=guest-name]").Change("Lou <b>Guest</b>");
            cut.Find(".tk-guest-form").Submit();
            cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll(".tk-field-error")));
            Assert.Equal(0, await QueryAsync(app, db => db.Orders.CountAsync()));

            cut.Find("[data-testid=guest-email]").Change(email);
            cut.Find(".tk-guest-form").Submit();
            var nav = ctx.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>();
            cut.WaitForAssertion(() => Assert.Contains("/guest/orders/", nav.Uri));
            var order = await QueryAsync(app, db => db.Orders.Include(o => o.Guest).SingleAsync());
            Assert.Equal("Lou <b>Guest</b>", order.BuyerName);
            Assert.Equal(email, order.Guest!.Email);
            Assert.Equal(language, order.Guest.Language);
            var token = new Uri(nav.Uri).AbsolutePath.Split('/')[4];
            Assert.Equal(order.UserId, await WithServiceAsync<GuestAccess, Guid>(app, a => a.VerifyAsync(order.Id, Uri.UnescapeDataString(token))));

            // The guest page it went to, rendered: the card form of the held order.
            var page = WebUtility.HtmlDecode(await app.CreateClient().GetStringAsync(new Uri(nav.Uri).AbsolutePath));
            Assert.Contains("data-testid=\"card-number\"", page);
        }
        finally
        {
            (System.Globalization.CultureInfo.CurrentCulture, System.Globalization.CultureInfo.CurrentUICulture) = (before, beforeUi);
        }
    }

    [Fact]
    public async Task AGuest_PaysOnTheHostedPage_AndGetsTheConfirmationWithTheLink()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 50).SaveAsync();
        var (id, token, _) = await GuestOrderAsync(ev, NewEmail(), 1);

        var checkout = await (await GuestClient(token).PostAsync($"/api/guest/orders/{id}/checkout", null)).ReadJsonAsync();
        var sessionId = checkout.GetProperty("sessionId").GetString()!;
        var paid = await WithServiceAsync<SimulatedPaymentPage, SimulatedPayResult>(app, p => p.SubmitCardAsync(sessionId,
            new CardDetails("4242424242424242", 12, app.Clock.GetUtcNow().Year + 2, "123", "Lou Guest")));
        using var webhook = new HttpRequestMessage(HttpMethod.Post, "/api/payments/webhooks/stripe")
        {
            Content = new StringContent(paid.WebhookPayload!, Encoding.UTF8, "application/json"),
        };
        webhook.Headers.TryAddWithoutValidation("Stripe-Signature", paid.WebhookSignature);
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().SendAsync(webhook)).StatusCode);

        Assert.Equal(OrderStatus.Paid, await QueryAsync(app, db => db.Orders.Where(o => o.Id == id).Select(o => o.Status).FirstAsync()));
        var (_, link) = await NextGuestLinkAsync();
        Assert.Equal((id, token), Parse(link));
    }

    [Fact]
    public async Task ATamperedOrGuessedToken_OrAnotherGuestsOrder_Is404_LikeAnUnknownOrder()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 50).SaveAsync();
        var (id, token, _) = await GuestOrderAsync(ev, NewEmail(), 1);
        var (otherId, otherToken, _) = await GuestOrderAsync(ev, NewEmail(), 1);
        var tampered = (token[0] == 'A' ? "B" : "A") + token[1..];

        foreach (var (orderId, bad) in new[]
                 {
                     (id, tampered), (id, otherToken), (otherId, token), (id, ""), (id, "not base64 !"), (id, new string('A', 43)),
                     (Guid.CreateVersion7(), token),
                 })
        {
            var client = GuestClient(bad);
            await (await client.GetAsync($"/api/guest/orders/{orderId}")).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await client.PostAsJsonAsync($"/api/guest/orders/{orderId}/payment", Card())).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await app.CreateClient().GetAsync($"/api/guest/orders/{orderId}/tickets.pdf?token={Uri.EscapeDataString(bad)}"))
                .AssertProblemAsync(HttpStatusCode.NotFound);
        }
        // The page: the same "not found" for an altered token, another guest's token and an unknown order.
        foreach (var path in new[] { GuestAccess.PagePath(id, tampered), GuestAccess.PagePath(id, otherToken), GuestAccess.PagePath(Guid.CreateVersion7(), token) })
        {
            var page = await app.CreateClient().GetStringAsync(path);
            Assert.Contains("data-testid=\"guest-order-not-found\"", page);
            Assert.DoesNotContain("order-confirmation", page);
        }
        var reserved = await app.CreateClient().GetStringAsync(GuestAccess.PagePath(id, token));
        Assert.Contains("data-testid=\"card-number\"", reserved);
        // An account's order is not reachable through the guest endpoints either.
        var (account, _, _) = await app.CreateUserClientAsync();
        var accountOrder = (await HoldAsync(account, ev, 1)).GetProperty("id").GetGuid();
        await (await GuestClient(token).GetAsync($"/api/guest/orders/{accountOrder}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.All(await QueryAsync(app, db => db.Orders.Select(o => o.Status).ToListAsync()), s => Assert.Equal(OrderStatus.Reserved, s));
    }

    [Fact]
    public async Task TwentyParallelGuestOrdersOfOneAddress_WithACapOfFour_HoldExactlyFour()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 100).WithMaxTicketsPerAccount(4, 4).SaveAsync();
        var email = NewEmail();

        using var start = new SemaphoreSlim(0);
        var running = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await start.WaitAsync();
            // The same address, typed differently: the cap is the address's.
            var typed = i % 2 == 0 ? email : email.ToUpperInvariant();
            var response = await app.CreateClient().PostAsJsonAsync("/api/guest/orders", GuestHold(ev, typed, 1));
            var status = (int)response.StatusCode;
            return status == 201 ? (status, (string?)null)
                : (status, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        })).ToList();
        start.Release(20);
        var answers = await Task.WhenAll(running);

        Assert.Equal(4, answers.Count(a => a.status == 201));
        Assert.All(answers.Where(a => a.status != 201), a => Assert.Equal((409, "account_limit_exceeded"), a));
        var key = GuestKey.For(GuestKey.Normalize(email));
        Assert.Equal(4, await QueryAsync(app, db => db.Orders.Where(o => o.UserId == key).SelectMany(o => o.Items).SumAsync(i => i.Quantity)));
        Assert.Equal((0, 4), Counters(await CategoryAsync(app, ev.Categories[0].Id)));
    }

    [Fact]
    public async Task GuestOrdersAndTheAccountOfTheSameAddress_ShareOneAllowance_EvenInParallel()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 100).WithMaxTicketsPerAccount(6, 6).SaveAsync();
        var (account, userId, email) = await app.CreateUserClientAsync();
        await HoldAsync(account, ev, 2);

        using var start = new SemaphoreSlim(0);
        var running = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await start.WaitAsync();
            var response = i % 2 == 0
                ? await app.CreateClient().PostAsJsonAsync("/api/guest/orders", GuestHold(ev, email, 1))
                : await account.PostAsJsonAsync("/api/orders", Hold(ev, 1));
            return (int)response.StatusCode;
        })).ToList();
        start.Release(20);
        var answers = await Task.WhenAll(running);

        Assert.DoesNotContain(answers, a => a >= 500);
        var key = GuestKey.For(GuestKey.Normalize(email));
        var total = await QueryAsync(app, db => db.Orders.Where(o => (o.UserId == key || o.UserId == userId) && o.Status == OrderStatus.Reserved)
            .SelectMany(o => o.Items).SumAsync(i => i.Quantity));
        Assert.Equal(6, total);
        Assert.Equal(4, answers.Count(a => a == 201));
        await (await app.CreateClient().PostAsJsonAsync("/api/guest/orders", GuestHold(ev, email, 1)))
            .AssertProblemAsync(HttpStatusCode.Conflict, "account_limit_exceeded");
        await (await account.PostAsJsonAsync("/api/orders", Hold(ev, 1))).AssertProblemAsync(HttpStatusCode.Conflict, "account_limit_exceeded");
    }

    [Fact]
    public async Task BadInput_Is400ValidationFailed_AndNothingIsWritten()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 50).SaveAsync();
        var client = app.CreateClient();
        var items = new[] { new { categoryId = ev.Categories[0].Id, quantity = 1 } };
        var cases = new (object Body, string Field)[]
        {
            (new { performanceId = ev.PerformanceId, items, email = "", displayName = "Lou" }, "email"),
            (new { performanceId = ev.PerformanceId, items, email = "not-an-address", displayName = "Lou" }, "email"),
            (new { performanceId = ev.PerformanceId, items, email = "a@b.c\r\nBcc: x@y.z", displayName = "Lou" }, "email"),
            (new { performanceId = ev.PerformanceId, items, email = new string('a', 300) + "@test.local", displayName = "Lou" }, "email"),
            (new { performanceId = ev.PerformanceId, items, email = NewEmail(), displayName = "" }, "displayName"),
            (new { performanceId = ev.PerformanceId, items, email = NewEmail(), displayName = new string('x', 500) }, "displayName"),
            (new { performanceId = ev.PerformanceId, items = Array.Empty<object>(), email = NewEmail(), displayName = "Lou" }, "items"),
            (new { performanceId = Guid.Empty, items, email = NewEmail(), displayName = "Lou" }, "performanceId"),
        };
        foreach (var (body, field) in cases)
        {
            var problem = await (await client.PostAsJsonAsync("/api/guest/orders", body)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
            Assert.True(problem.GetProperty("errors").EnumerateObject().Any(e => e.Name.StartsWith(field, StringComparison.OrdinalIgnoreCase)),
                $"{field}: {problem}");
        }
        var raw = await client.PostAsync("/api/guest/orders", new StringContent("{not json", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, raw.StatusCode);

        Assert.Equal(0, await QueryAsync(app, db => db.Orders.CountAsync()));
        Assert.Equal(0, await QueryAsync(app, db => db.Set<GuestBuyer>().CountAsync()));
        Assert.Equal((0, 0), Counters(await CategoryAsync(app, ev.Categories[0].Id)));
    }

    [Fact]
    public async Task AnAccountCreatedLater_WithTheSameConfirmedAddress_SeesTheGuestOrdersAndTickets()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 50).SaveAsync();
        var email = NewEmail();
        var (id, token, _) = await GuestOrderAsync(ev, email, 2);
        (await GuestClient(token).PostAsJsonAsync($"/api/guest/orders/{id}/payment", Card())).EnsureSuccessStatusCode();

        var (client, userId, _) = await app.CreateUserClientAsync(email: email.ToUpperInvariant());
        // Not confirmed yet: nothing is claimed.
        Assert.Equal(0, (await (await client.GetAsync("/api/orders")).ReadJsonAsync()).GetProperty("items").GetArrayLength());
        await (await client.GetAsync($"/api/orders/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);

        await QueryAsync(app, db => db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.EmailConfirmed, true)));
        var orders = await (await client.GetAsync("/api/orders")).ReadJsonAsync();
        Assert.Contains(orders.GetProperty("items").EnumerateArray(), o => o.GetProperty("id").GetGuid() == id);
        Assert.Equal("Paid", (await (await client.GetAsync($"/api/orders/{id}")).ReadJsonAsync()).GetProperty("status").GetString());
        var tickets = await (await client.GetAsync("/api/tickets")).ReadJsonAsync();
        Assert.Equal(2, tickets.GetProperty("items").EnumerateArray().Count(t => t.GetProperty("eventTitle").GetString() is not null));
        var ticketId = tickets.GetProperty("items")[0].GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/tickets/{ticketId}/pdf")).StatusCode);
        // Another account sees none of it.
        var (other, _, _) = await app.CreateUserClientAsync();
        await (await other.GetAsync($"/api/orders/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ARefund_AndAnEventCancellation_MailTheGuestWithTheSignedLink()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Ticketing.Core.Accounts.Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 3900, 50).SaveAsync();
        var (refundedEmail, cancelledEmail) = (NewEmail(), NewEmail());
        var (refunded, refundedToken, _) = await GuestOrderAsync(ev, refundedEmail, 1, language: "fr");
        var (cancelled, cancelledToken, _) = await GuestOrderAsync(ev, cancelledEmail, 1);
        (await GuestClient(refundedToken).PostAsJsonAsync($"/api/guest/orders/{refunded}/payment", Card())).EnsureSuccessStatusCode();
        (await GuestClient(cancelledToken).PostAsJsonAsync($"/api/guest/orders/{cancelled}/payment", Card())).EnsureSuccessStatusCode();
        await data.DispatchAsync();
        Smtp.Clear();

        (await owner.PostAsync($"/api/orders/{refunded}/refund", null)).EnsureSuccessStatusCode();
        var (mail, link) = await NextGuestLinkAsync();
        Assert.Equal(refundedEmail, mail.To.Mailboxes.Single().Address);
        Assert.Equal((refunded, refundedToken), Parse(link));

        (await owner.PostAsync($"/api/events/{ev.EventId}/cancel", null)).EnsureSuccessStatusCode();
        await WithServiceAsync<Ticketing.Core.Events.EventCancellationService, int>(app, s => s.RefundNextBatchAsync(10));
        (mail, link) = await NextGuestLinkAsync();
        Assert.Equal(cancelledEmail, mail.To.Mailboxes.Single().Address);
        Assert.Equal((cancelled, cancelledToken), Parse(link));
        Assert.Equal(OrderStatus.Refunded, await QueryAsync(app, db => db.Orders.Where(o => o.Id == cancelled).Select(o => o.Status).FirstAsync()));
    }

    [Fact]
    public async Task TheExportOfTheAccountThatClaimedThem_HasTheGuestOrdersTicketsAndMails()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 50).SaveAsync();
        var email = NewEmail();
        var (id, token, _) = await GuestOrderAsync(ev, email, 2);
        (await GuestClient(token).PostAsJsonAsync($"/api/guest/orders/{id}/payment", Card())).EnsureSuccessStatusCode();
        var (client, userId, _) = await app.CreateUserClientAsync(email: email);
        await QueryAsync(app, db => db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.EmailConfirmed, true)));

        var export = await (await client.GetAsync("/api/me/export")).ReadJsonAsync();
        Assert.Contains(export.GetProperty("orders").EnumerateArray(), o => o.GetProperty("id").GetGuid() == id);
        Assert.Equal(2, export.GetProperty("tickets").EnumerateArray().Count(t => t.GetProperty("orderId").GetGuid() == id));
        Assert.Contains(export.GetProperty("notifications").EnumerateArray(), n => n.GetProperty("recipient").GetString() == email);

        // Another account's export has none of it.
        var (other, _, _) = await app.CreateUserClientAsync();
        Assert.Empty((await (await other.GetAsync("/api/me/export")).ReadJsonAsync()).GetProperty("orders").EnumerateArray());
    }

    [Fact]
    public async Task MessagesToAttendees_ReachTheGuestBuyers_OnceByAddress()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Ticketing.Core.Accounts.Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 3900, 50).SaveAsync();
        var email = NewEmail();
        foreach (var _ in Enumerable.Range(0, 2))
        {
            var (id, token, _) = await GuestOrderAsync(ev, email, 1);
            (await GuestClient(token).PostAsJsonAsync($"/api/guest/orders/{id}/payment", Card())).EnsureSuccessStatusCode();
        }
        var (held, _, _) = await GuestOrderAsync(ev, NewEmail(), 1); // held, not paid: not an attendee

        var recipients = await (await owner.GetAsync($"/api/events/{ev.EventId}/messages/recipients?performanceId={ev.PerformanceId}")).ReadJsonAsync();
        Assert.Equal(1, recipients.GetProperty("count").GetInt32());
        Assert.NotEqual(Guid.Empty, held);
    }

    [Fact]
    public async Task ErasingTheAccountThatClaimedThem_AnonymisesTheGuestOrders_AndTheirLinksStopWorking()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 50).SaveAsync();
        var email = NewEmail();
        var (id, token, _) = await GuestOrderAsync(ev, email, 1);
        (await GuestClient(token).PostAsJsonAsync($"/api/guest/orders/{id}/payment", Card())).EnsureSuccessStatusCode();
        var (client, userId, _) = await app.CreateUserClientAsync(email: email);
        await QueryAsync(app, db => db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.EmailConfirmed, true)));

        using var erase = new HttpRequestMessage(HttpMethod.Delete, "/api/me") { Content = JsonContent.Create(new { password = TicketingApp.Password }) };
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(erase)).StatusCode);

        await (await GuestClient(token).GetAsync($"/api/guest/orders/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        var order = await QueryAsync(app, db => db.Orders.Include(o => o.Guest).SingleAsync(o => o.Id == id));
        Assert.Equal(("—", "", ""), (order.BuyerName, order.Guest!.Email, order.Guest.NormalizedEmail));
        Assert.Equal(OrderStatus.Paid, order.Status);
        Assert.All(await QueryAsync(app, db => db.Tickets.Where(t => t.OrderId == id).Select(t => t.HolderName).ToListAsync()), n => Assert.Equal("—", n));
    }

    private static (int Sold, int Held) Counters(Ticketing.Core.Events.PriceCategory c) => (c.Sold, c.Held);

    [GeneratedRegex(@"https://tickets\.example\.com/guest/orders/[0-9a-f-]{36}/[A-Za-z0-9_%-]+")]
    private static partial Regex GuestLink();
}

public sealed class GuestCheckoutTests_Sqlite(SmtpSqliteApp app) : GuestCheckoutTests(app), IClassFixture<SmtpSqliteApp>;

public sealed class GuestCheckoutTests_Postgres(SmtpPostgresApp app) : GuestCheckoutTests(app), IClassFixture<SmtpPostgresApp>;
