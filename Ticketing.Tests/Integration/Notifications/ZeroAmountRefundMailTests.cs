using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Accounts;
using Ticketing.Core.Notifications;
using Ticketing.Core.Receipts;
using Ticketing.Core.Tickets;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Notifications;

/// <summary>
/// Issue 20 leftover: a partial refund of free tickets only (a 0 € line, or an order that cost nothing) gives nothing back,
/// but voids the tickets: the fan gets a "tickets cancelled, nothing to refund" mail (EN/FR, real plurals, read from the real
/// SMTP test server), and no credit note is issued (a zero one would take a number of the gapless sequence for nothing).
/// </summary>
public abstract class ZeroAmountRefundMailTests(SmtpTicketingApp app) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        app.Smtp.Refusing = false;
        await app.Smtp.StartAsync();
        app.Smtp.Clear();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<(Guid OrderId, List<(Guid Id, string Number, string Category)> Tickets)> BuyAsync(HttpClient buyer, TestEvent ev,
        params (int Category, int Quantity)[] lines)
    {
        var hold = await (await buyer.PostAsJsonAsync("/api/orders", new
        {
            performanceId = ev.PerformanceId, items = lines.Select(l => new { categoryId = ev.Categories[l.Category].Id, quantity = l.Quantity }).ToArray(),
        })).ReadJsonAsync(HttpStatusCode.Created);
        var id = hold.GetProperty("id").GetGuid();
        var free = hold.GetProperty("total").GetDecimal() == 0;
        var paid = await (await buyer.PostAsJsonAsync($"/api/orders/{id}/payment", free ? new { } : Card())).ReadJsonAsync();
        return (id, paid.GetProperty("tickets").EnumerateArray().Select(t => (t.GetProperty("id").GetGuid(), t.GetProperty("number").GetString()!,
            t.GetProperty("categoryName").GetString()!)).ToList());
    }

    private Task<int> CreditNotesAsync(Guid orderId) =>
        QueryAsync(app, db => db.Receipts.CountAsync(r => r.OrderId == orderId && r.Kind == ReceiptKind.CreditNote));

    [Fact]
    public async Task RefundingTheFreeLineOfAPaidOrder_MailsTicketsCancelledNothingToRefund_InFrench_WithoutACreditNote()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 3000, 50).WithCategory("Enfant", 0, 50).SaveAsync();
        var (buyer, _, email) = await app.CreateUserClientAsync(displayName: "Léa Martin", language: "fr");
        var (orderId, tickets) = await BuyAsync(buyer, ev, (0, 1), (1, 2));
        var free = tickets.Where(t => t.Category == "Enfant").ToList();
        var paidTicket = tickets.Single(t => t.Category == "Fosse");
        await new NotificationTestData(app).DispatchAsync();
        app.Smtp.Clear();

        // One free ticket: voided, nothing given back, no credit note, a mail that says so.
        var refund = await (await owner.PostAsJsonAsync($"/api/orders/{orderId}/refund", new { ticketIds = new[] { free[0].Id } })).ReadJsonAsync();
        Assert.Equal(("PartiallyRefunded", 0L, 1), (refund.GetProperty("status").GetString(), refund.GetProperty("amountMinor").GetInt64(),
            refund.GetProperty("ticketsVoided").GetInt32()));
        Assert.Equal(JsonValueKind.Null, refund.GetProperty("creditNoteNumber").ValueKind);
        Assert.Equal(0, await CreditNotesAsync(orderId));
        await new NotificationTestData(app).DispatchAsync();
        var mail = Assert.Single(app.Smtp.Messages);
        Assert.Equal(email.ToLowerInvariant(), mail.To.Mailboxes.Single().Address.ToLowerInvariant());
        Assert.Equal($"Un billet de votre commande {OrderReference.For(orderId)} a été annulé", mail.Subject);
        Assert.Contains("1 billet de votre commande", mail.TextBody);
        Assert.Contains("il n’y a rien à rembourser", mail.TextBody);
        Assert.Contains(free[0].Number, mail.TextBody);
        Assert.Contains(free[0].Number, mail.HtmlBody);
        Assert.DoesNotContain(free[1].Number, mail.TextBody);
        Assert.DoesNotContain(paidTicket.Number, mail.TextBody);
        Assert.DoesNotContain("remboursée", mail.Subject);
        app.Smtp.Clear();

        // The paid ticket next: its credit note is the first of the order (and the sequence has no hole).
        var before = await QueryAsync(app, db => db.Receipts.CountAsync(r => r.Kind == ReceiptKind.CreditNote));
        var paid = await (await owner.PostAsJsonAsync($"/api/orders/{orderId}/refund", new { ticketIds = new[] { paidTicket.Id } })).ReadJsonAsync();
        Assert.Equal(3000, paid.GetProperty("amountMinor").GetInt64());
        var numbers = await QueryAsync(app, db => db.Receipts.Where(r => r.Kind == ReceiptKind.CreditNote).Select(r => r.Number).ToListAsync());
        Assert.Equal(before + 1, numbers.Count);
        Assert.Equal(numbers.Count, numbers.Select(n => int.Parse(n[^6..])).Max()); // gapless: C-YYYY-000001..N
        await new NotificationTestData(app).DispatchAsync();
        Assert.Equal($"Une partie de votre commande {OrderReference.For(orderId)} a été remboursée", Assert.Single(app.Smtp.Messages).Subject);
        Assert.Equal(1, await QueryAsync(app, db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.OrderTicketsCancelled)));
        Assert.Equal(0, await QueryAsync(app, db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.OrderRefunded)));
    }

    [Fact]
    public async Task PartOfAnOrderThatCostNothing_TwoTickets_IsOneEnglishMailWithAPlural()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Invitation", 0, 50).SaveAsync();
        var (buyer, _, _) = await app.CreateUserClientAsync(displayName: "Sam Fan");
        var (orderId, tickets) = await BuyAsync(buyer, ev, (0, 3));
        await new NotificationTestData(app).DispatchAsync();
        app.Smtp.Clear();

        var refund = await (await owner.PostAsJsonAsync($"/api/orders/{orderId}/refund", new { ticketIds = tickets.Take(2).Select(t => t.Id).ToArray() })).ReadJsonAsync();
        Assert.Equal("PartiallyRefunded", refund.GetProperty("status").GetString());
        await new NotificationTestData(app).DispatchAsync();
        var mail = Assert.Single(app.Smtp.Messages);
        Assert.Equal($"Tickets of your order {OrderReference.For(orderId)} were cancelled", mail.Subject);
        Assert.Contains("2 tickets of your order", mail.TextBody);
        Assert.Contains("nothing to refund", mail.TextBody);
        Assert.Contains(tickets[0].Number, mail.TextBody);
        Assert.Contains(tickets[1].Number, mail.TextBody);
        Assert.DoesNotContain(tickets[2].Number, mail.TextBody);
        Assert.DoesNotContain("was refunded", mail.Subject);
        Assert.Equal(0, await CreditNotesAsync(orderId));
        Assert.Equal(TicketStatus.Valid, await QueryAsync(app, db => db.Tickets.Where(t => t.Id == tickets[2].Id).Select(t => t.Status).FirstAsync()));
    }

    [Fact]
    public async Task AWholeFreeOrderRefunded_IsTicketsCancelledNothingToRefund_NotRefundedZero()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Gala", 0, 50).SaveAsync();
        var (buyer, _, _) = await app.CreateUserClientAsync(displayName: "Sam Fan");
        var (orderId, tickets) = await BuyAsync(buyer, ev, (0, 2));
        await new NotificationTestData(app).DispatchAsync();
        app.Smtp.Clear();

        var refund = await (await owner.PostAsync($"/api/orders/{orderId}/refund", null)).ReadJsonAsync();
        Assert.Equal(("Refunded", 0L, 2), (refund.GetProperty("status").GetString(), refund.GetProperty("amountMinor").GetInt64(),
            refund.GetProperty("ticketsVoided").GetInt32()));
        await new NotificationTestData(app).DispatchAsync();
        var mail = Assert.Single(app.Smtp.Messages);
        Assert.Equal($"Tickets of your order {OrderReference.For(orderId)} were cancelled", mail.Subject);
        Assert.Contains("2 tickets of your order", mail.TextBody);
        Assert.Contains("nothing to refund", mail.TextBody);
        Assert.DoesNotContain("refunded to the card", mail.TextBody);
        Assert.All(tickets, t => Assert.Contains(t.Number, mail.TextBody));
        Assert.Equal(0, await CreditNotesAsync(orderId));
        Assert.Equal(0, await QueryAsync(app, db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.OrderRefunded)));
    }

    [Fact]
    public async Task AFreeEventCancelled_TellsItsGuestsTheirTicketsAreVoid_InFrench_NotThatTheirCardWasRefunded()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).Titled("Gala de l’école").WithCategory("Parents", 0, 200).SaveAsync();
        var (buyer, _, _) = await app.CreateUserClientAsync(displayName: "Léa Martin", language: "fr");
        var (orderId, _) = await BuyAsync(buyer, ev, (0, 2));
        await new NotificationTestData(app).DispatchAsync();
        app.Smtp.Clear();

        (await owner.PostAsync($"/api/events/{ev.EventId}/cancel", null)).EnsureSuccessStatusCode();
        await WithServiceAsync<Ticketing.Core.Events.EventCancellationService, int>(app, s => s.RefundNextBatchAsync(10));
        await new NotificationTestData(app).DispatchAsync();
        var mail = Assert.Single(app.Smtp.Messages);
        Assert.Equal("Annulation\u202f: Gala de l’école", mail.Subject);
        Assert.Contains("Vos billets ne sont plus valables", mail.TextBody);
        Assert.Contains("rien à rembourser", mail.TextBody);
        Assert.DoesNotContain("remboursée", mail.TextBody);
        Assert.Equal(0, await CreditNotesAsync(orderId));
    }

    [Fact]
    public async Task ParallelRefundsOfTheSameFreeTicket_VoidItOnce_AndMailOnce()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 3000, 50).WithCategory("Enfant", 0, 50).SaveAsync();
        var (buyer, _, _) = await app.CreateUserClientAsync(displayName: "Sam Fan");
        var (orderId, tickets) = await BuyAsync(buyer, ev, (0, 1), (1, 1));
        var free = tickets.Single(t => t.Category == "Enfant");
        var held = (await CategoryAsync(app, ev.Categories[1].Id)).Sold;

        using var start = new SemaphoreSlim(0);
        var running = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await start.WaitAsync();
            return (await owner.PostAsJsonAsync($"/api/orders/{orderId}/refund", new { ticketIds = new[] { free.Id } })).StatusCode;
        })).ToList();
        start.Release(8);
        var answers = await Task.WhenAll(running);

        Assert.Single(answers, s => s == HttpStatusCode.OK);
        Assert.All(answers.Where(s => s != HttpStatusCode.OK), s => Assert.Equal(HttpStatusCode.Conflict, s));
        Assert.Equal(1, await QueryAsync(app, db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.OrderTicketsCancelled)));
        Assert.Equal(held - 1, (await CategoryAsync(app, ev.Categories[1].Id)).Sold);
        Assert.Equal(0, await CreditNotesAsync(orderId));
    }
}

public sealed class SqliteZeroAmountRefundMailTests(SmtpSqliteApp app) : ZeroAmountRefundMailTests(app), IClassFixture<SmtpSqliteApp>;

public sealed class PostgresZeroAmountRefundMailTests(SmtpPostgresApp app) : ZeroAmountRefundMailTests(app), IClassFixture<SmtpPostgresApp>;
