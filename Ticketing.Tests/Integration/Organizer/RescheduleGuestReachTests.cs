using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Accounts;
using Ticketing.Core.Guests;
using Ticketing.Tests.Infrastructure;
using Ticketing.Tests.Integration.Notifications;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Organizer;

/// <summary>
/// A reschedule reaches the holders without an account too (issue 19/20 leftover), each with a link that works for them:
/// a guest buyer the signed link of its order (where it can ask the offered refund), a comp guest and a transfer
/// recipient "My tickets" and no refund line (only the buyer may ask one); an account "My orders". Real SMTP test server.
/// </summary>
public abstract partial class RescheduleGuestReachTests(SmtpTicketingApp app) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        app.Smtp.Refusing = false;
        await app.Smtp.StartAsync();
        app.Smtp.Clear();
    }

    public Task DisposeAsync()
    {
        app.Clock.Reset();
        return Task.CompletedTask;
    }

    [GeneratedRegex(@"https?://[^\s""<>]+/guest/orders/[0-9a-f-]{36}/[A-Za-z0-9_%-]+")]
    private static partial Regex GuestLink();

    [Fact]
    public async Task AReschedule_MailsGuestBuyers_CompGuests_AndTransferRecipients_WithALinkThatWorksForThem()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).Titled("Nuits de Fourvière").WithCategory("Fosse", 5000, 50).SaveAsync();
        var category = ev.Categories[0].Id;

        // A guest buyer (French), paid.
        var guestEmail = $"guest-{Guid.NewGuid():N}@test.local";
        var created = await (await app.CreateClient().PostAsJsonAsync("/api/guest/orders", new
        {
            performanceId = ev.PerformanceId, items = new[] { new { categoryId = category, quantity = 2 } }, email = guestEmail,
            displayName = "Lou Invitée", language = "fr",
        })).ReadJsonAsync(HttpStatusCode.Created);
        var guestOrder = created.GetProperty("order").GetProperty("id").GetGuid();
        var guestToken = created.GetProperty("accessToken").GetString()!;
        var guest = app.CreateClient();
        guest.DefaultRequestHeaders.Add(GuestAccess.Header, guestToken);
        (await guest.PostAsJsonAsync($"/api/guest/orders/{guestOrder}/payment", Card())).EnsureSuccessStatusCode();
        // A comp guest (no account).
        (await owner.PutAsJsonAsync($"/api/events/{ev.EventId}/comp-quotas", new { performanceId = ev.PerformanceId, categoryId = category, quota = 5 })).EnsureSuccessStatusCode();
        (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/comps", new { performanceId = ev.PerformanceId, categoryId = category, quantity = 1,
            guest = new { displayName = "Claire Presse", email = "claire.presse@example.com" }, language = "en" })).EnsureSuccessStatusCode();
        // An account buyer who passes one of its two tickets on to an address without an account.
        var (alice, _, aliceEmail) = await app.CreateUserClientAsync(displayName: "Alice Martin");
        var paid = await AttendeeMessageTests.BuyAsync(alice, ev, 2);
        var ticketId = paid.GetProperty("tickets")[0].GetProperty("id").GetGuid();
        (await alice.PostAsJsonAsync($"/api/tickets/{ticketId}/transfer", new { email = "camille.ami@example.com", displayName = "Camille Ami" })).EnsureSuccessStatusCode();
        await new NotificationTestData(app).DispatchAsync();
        app.Smtp.Clear();

        var moved = await (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/performances/{ev.PerformanceId}/reschedule",
            new { startsAt = app.Clock.GetUtcNow().AddDays(60), refundUntil = app.Clock.GetUtcNow().AddDays(10) })).ReadJsonAsync();
        Assert.Equal(4, moved.GetProperty("notified").GetInt32());
        await new NotificationTestData(app).DispatchAsync();
        var mails = app.Smtp.Messages.ToList();
        Assert.Equal(4, mails.Count);
        MimeKit.MimeMessage To(string address) => mails.Single(m => string.Equals(m.To.Mailboxes.Single().Address, address, StringComparison.OrdinalIgnoreCase));

        // The guest buyer: French, the signed link of its order (text and HTML), the refund from the order's page.
        var guestMail = To(guestEmail);
        Assert.Equal("Nouvelle date pour Nuits de Fourvière", guestMail.Subject);
        var link = GuestLink().Match(guestMail.TextBody!);
        Assert.True(link.Success, guestMail.TextBody);
        Assert.EndsWith($"/guest/orders/{guestOrder}/{Uri.EscapeDataString(guestToken)}", link.Value);
        Assert.Contains(link.Value, guestMail.HtmlBody);
        Assert.Contains("Voir ma commande et mes billets", guestMail.TextBody);
        Assert.Contains("depuis la page de votre commande", guestMail.TextBody);
        Assert.DoesNotContain("/account/orders", guestMail.TextBody);
        // The link works: the page opens the order and offers the refund; the guest API refunds it inside the window.
        var page = await app.CreateClient().GetStringAsync(new Uri(link.Value).PathAndQuery);
        Assert.Contains("data-testid=\"ask-refund\"", page);
        var refunded = await (await guest.PostAsync($"/api/guest/orders/{guestOrder}/refund", null)).ReadJsonAsync();
        Assert.Equal("Refunded", refunded.GetProperty("status").GetString());

        // The comp guest and the transfer recipient: "My tickets" (what they find once they sign up with that address), no refund line.
        foreach (var address in new[] { "claire.presse@example.com", "camille.ami@example.com" })
        {
            var mail = To(address);
            Assert.Equal("New date for Nuits de Fourvière", mail.Subject);
            Assert.Contains("/account/tickets", mail.TextBody);
            Assert.Contains("View my tickets", mail.TextBody);
            Assert.DoesNotContain("refund", mail.TextBody, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("/guest/orders/", mail.TextBody);
        }
        // The account: My orders, as before.
        var aliceMail = To(aliceEmail);
        Assert.Contains("/account/orders", aliceMail.TextBody);
        Assert.Contains("from My orders", aliceMail.TextBody);
    }

    [Fact]
    public async Task AGuestWhoBoughtTwiceForTheDate_GetsOneMail_WithALinkToEachOrder()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).Titled("Nuits de Fourvière").WithCategory("Fosse", 5000, 50).SaveAsync();
        var email = $"guest-{Guid.NewGuid():N}@test.local";
        var orders = new List<(Guid Id, string Token)>();
        for (var i = 0; i < 2; i++)
        {
            var created = await (await app.CreateClient().PostAsJsonAsync("/api/guest/orders", new
            {
                performanceId = ev.PerformanceId, items = new[] { new { categoryId = ev.Categories[0].Id, quantity = 1 } }, email,
                displayName = "Lou Invitée", language = "fr",
            })).ReadJsonAsync(HttpStatusCode.Created);
            var id = created.GetProperty("order").GetProperty("id").GetGuid();
            var token = created.GetProperty("accessToken").GetString()!;
            var guest = app.CreateClient();
            guest.DefaultRequestHeaders.Add(GuestAccess.Header, token);
            (await guest.PostAsJsonAsync($"/api/guest/orders/{id}/payment", Card())).EnsureSuccessStatusCode();
            orders.Add((id, token));
        }
        await new NotificationTestData(app).DispatchAsync();
        app.Smtp.Clear();

        (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/performances/{ev.PerformanceId}/reschedule",
            new { startsAt = app.Clock.GetUtcNow().AddDays(60), refundUntil = app.Clock.GetUtcNow().AddDays(10) })).EnsureSuccessStatusCode();
        await new NotificationTestData(app).DispatchAsync();
        var mail = Assert.Single(app.Smtp.Messages);
        var links = GuestLink().Matches(mail.TextBody!).Select(m => m.Value).ToList();
        Assert.Equal(2, links.Count);
        foreach (var (id, token) in orders)
        {
            var link = Assert.Single(links, l => l.EndsWith($"/guest/orders/{id}/{Uri.EscapeDataString(token)}"));
            Assert.Contains(link, mail.HtmlBody);
            Assert.Contains($"Voir la commande {Ticketing.Core.Notifications.OrderReference.For(id)}", mail.TextBody);
            Assert.Contains("data-testid=\"ask-refund\"", await app.CreateClient().GetStringAsync(new Uri(link).PathAndQuery));
        }
        Assert.Contains("depuis la page de chaque commande", mail.TextBody);
    }

    [Fact]
    public async Task AGuestWithoutAnOfferedWindow_CannotRefund_AndAfterTheWindowGets409()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 5000, 50).SaveAsync();
        var created = await (await app.CreateClient().PostAsJsonAsync("/api/guest/orders", new
        {
            performanceId = ev.PerformanceId, items = new[] { new { categoryId = ev.Categories[0].Id, quantity = 1 } },
            email = $"guest-{Guid.NewGuid():N}@test.local", displayName = "Lou Guest",
        })).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("order").GetProperty("id").GetGuid();
        var guest = app.CreateClient();
        guest.DefaultRequestHeaders.Add(GuestAccess.Header, created.GetProperty("accessToken").GetString());
        (await guest.PostAsJsonAsync($"/api/guest/orders/{id}/payment", Card())).EnsureSuccessStatusCode();

        // No reschedule: the refund is the organizer's decision (404, like a wrong token).
        Assert.Equal(HttpStatusCode.NotFound, (await guest.PostAsync($"/api/guest/orders/{id}/refund", null)).StatusCode);
        (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/performances/{ev.PerformanceId}/reschedule",
            new { startsAt = app.Clock.GetUtcNow().AddDays(60), refundUntil = app.Clock.GetUtcNow().AddDays(10) })).EnsureSuccessStatusCode();
        app.Clock.Advance(TimeSpan.FromDays(11));
        await (await guest.PostAsync($"/api/guest/orders/{id}/refund", null)).AssertProblemAsync(HttpStatusCode.Conflict, "refund_window_closed");
        Assert.Equal("Paid", await QueryAsync(app, db => db.Orders.Where(o => o.Id == id).Select(o => o.Status.ToString()).FirstAsync()));
    }
}

public sealed class SqliteRescheduleGuestReachTests(SmtpSqliteApp app) : RescheduleGuestReachTests(app), IClassFixture<SmtpSqliteApp>;

public sealed class PostgresRescheduleGuestReachTests(SmtpPostgresApp app) : RescheduleGuestReachTests(app), IClassFixture<SmtpPostgresApp>;
