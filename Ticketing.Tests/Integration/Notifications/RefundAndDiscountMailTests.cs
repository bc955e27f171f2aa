using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Accounts;
using Ticketing.Core.Notifications;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Notifications;

/// <summary>
/// Issue 20 item 6 and issue 25 item 1 in the buyer's mailbox (a real SMTP server): each partial refund gets its own mail
/// with what it gave back and the tickets it voided (before, the first partial refund was announced as a refund of the
/// whole order, with the order's total, and later ones not at all); a promo code's discount is a line of the confirmation.
/// </summary>
public abstract class RefundAndDiscountMailTests(SmtpTicketingApp app) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        app.Smtp.Refusing = false;
        await app.Smtp.StartAsync();
        app.Smtp.Clear();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task EachPartialRefund_MailsItsOwnAmountAndTickets_AndTheOtherTicketsStayValid()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 3000, 50).SaveAsync();
        var (buyer, _, email) = await app.CreateUserClientAsync(displayName: "Léa Martin", language: "fr");
        var hold = await HoldAsync(buyer, ev, 3);
        var orderId = hold.GetProperty("id").GetGuid();
        var paid = await (await buyer.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).ReadJsonAsync();
        var tickets = paid.GetProperty("tickets").EnumerateArray().Select(t => (Id: t.GetProperty("id").GetGuid(), Number: t.GetProperty("number").GetString()!)).ToList();
        await new NotificationTestData(app).DispatchAsync();
        app.Smtp.Clear();

        // Two partial refunds, one ticket each, then the last ticket: three mails, each with its own ticket and 30,00 €.
        foreach (var (ticket, i) in tickets.Select((t, i) => (t, i)))
        {
            var refund = await (await owner.PostAsJsonAsync($"/api/orders/{orderId}/refund", new { ticketIds = new[] { ticket.Id } })).ReadJsonAsync();
            Assert.Equal(i < 2 ? "PartiallyRefunded" : "Refunded", refund.GetProperty("status").GetString());
            await new NotificationTestData(app).DispatchAsync();
            var mail = Assert.Single(app.Smtp.Messages);
            Assert.Equal(email.ToLowerInvariant(), mail.To.Mailboxes.Single().Address.ToLowerInvariant());
            Assert.Equal($"Une partie de votre commande {OrderReference.For(orderId)} a été remboursée", mail.Subject);
            Assert.Contains("1 billet de votre commande", mail.TextBody);
            Assert.Contains(ticket.Number, mail.TextBody);
            Assert.Contains(ticket.Number, mail.HtmlBody);
            foreach (var other in tickets.Where(t => t.Id != ticket.Id)) Assert.DoesNotContain(other.Number, mail.TextBody);
            Assert.Contains("30,00", mail.TextBody);
            Assert.DoesNotContain("90,00", mail.TextBody);
            app.Smtp.Clear();
        }
        Assert.Equal(3, await QueryAsync(app, db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.OrderPartiallyRefunded)));
        Assert.Equal(0, await QueryAsync(app, db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.OrderRefunded)));
    }

    [Fact]
    public async Task AWholeOrderRefundedAtOnce_GetsOneRefundMail_WithTheOrdersTotal()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 3000, 50).SaveAsync();
        var (buyer, _, _) = await app.CreateUserClientAsync(displayName: "Sam Fan");
        var orderId = (await HoldAsync(buyer, ev, 2)).GetProperty("id").GetGuid();
        (await buyer.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).EnsureSuccessStatusCode();
        await new NotificationTestData(app).DispatchAsync();
        app.Smtp.Clear();

        (await owner.PostAsync($"/api/orders/{orderId}/refund", null)).EnsureSuccessStatusCode();
        await new NotificationTestData(app).DispatchAsync();
        var mail = Assert.Single(app.Smtp.Messages);
        Assert.Equal($"Your order {OrderReference.For(orderId)} was refunded", mail.Subject);
        Assert.Contains("€60.00", mail.TextBody);
    }

    [Fact]
    public async Task APromoCodesDiscount_IsALineOfTheConfirmationMail()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 3000, 50).SaveAsync();
        (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/promo-codes", new { code = "GALA10", maxUses = 10, percent = 10 })).EnsureSuccessStatusCode();
        var (buyer, _, _) = await app.CreateUserClientAsync(displayName: "Sam Fan");
        var order = await (await buyer.PostAsJsonAsync("/api/orders", new
        {
            performanceId = ev.PerformanceId, items = new[] { new { categoryId = ev.Categories[0].Id, quantity = 2 } }, promoCode = "gala10",
        })).ReadJsonAsync(HttpStatusCode.Created);
        (await buyer.PostAsJsonAsync($"/api/orders/{order.GetProperty("id").GetGuid()}/payment", Card())).EnsureSuccessStatusCode();
        await new NotificationTestData(app).DispatchAsync();

        var mail = Assert.Single(app.Smtp.Messages);
        Assert.Contains("Promo code GALA10 = -€6.00", mail.TextBody);
        Assert.Contains("€54.00", mail.TextBody);
        Assert.Contains("Promo code GALA10", mail.HtmlBody);
    }
}

public sealed class SqliteRefundAndDiscountMailTests(SmtpSqliteApp app) : RefundAndDiscountMailTests(app), IClassFixture<SmtpSqliteApp>;

public sealed class PostgresRefundAndDiscountMailTests(SmtpPostgresApp app) : RefundAndDiscountMailTests(app), IClassFixture<SmtpPostgresApp>;
