using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Accounts;
using Ticketing.Core.Notifications;
using Ticketing.Core.Tickets;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.TicketLife;

/// <summary>A holder passes a ticket on: the old code voided at once, one new code for the recipient (even under parallel attempts), the event's rule obeyed.</summary>
public abstract class TicketTransferTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(TestEvent Event, HttpClient Owner, HttpClient Buyer, Guid TicketId, string Code)> PaidTicketAsync()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 4500, 10).SaveAsync();
        var (buyer, _, _) = await app.CreateUserClientAsync();
        var orderId = (await HoldAsync(buyer, ev, 1)).GetProperty("id").GetGuid();
        var paid = await (await buyer.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).ReadJsonAsync();
        var ticketId = paid.GetProperty("tickets")[0].GetProperty("id").GetGuid();
        var code = (await (await buyer.GetAsync($"/api/tickets/{ticketId}")).ReadJsonAsync()).GetProperty("code").GetString()!;
        return (ev, owner, buyer, ticketId, code);
    }

    private static async Task<string> ScanAsync(HttpClient owner, string code) =>
        (await (await owner.PostAsJsonAsync("/api/checkin", new { code })).ReadJsonAsync()).GetProperty("result").GetString()!;

    [Fact]
    public async Task TheHolder_TransfersATicket_TheOldCodeScansVoided_TheRecipientGetsANewCodeByMailAndInTheirTickets()
    {
        var (_, owner, buyer, ticketId, oldCode) = await PaidTicketAsync();
        var (recipient, recipientId, recipientEmail) = await app.CreateUserClientAsync(language: "fr");

        var done = await (await buyer.PostAsJsonAsync($"/api/tickets/{ticketId}/transfer", new { email = recipientEmail, displayName = "Camille Ami" })).ReadJsonAsync();
        Assert.Equal("Voided", done.GetProperty("status").GetString());
        var newId = done.GetProperty("newTicketId").GetGuid();

        Assert.Equal("Voided", await ScanAsync(owner, oldCode));
        var received = await (await recipient.GetAsync($"/api/tickets/{newId}")).ReadJsonAsync();
        Assert.Equal(("Camille Ami", "Valid"), (received.GetProperty("holderName").GetString(), received.GetProperty("status").GetString()));
        var newCode = received.GetProperty("code").GetString()!;
        Assert.NotEqual(oldCode, newCode);
        var list = await (await recipient.GetAsync("/api/tickets")).ReadJsonAsync();
        Assert.Contains(list.GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetGuid() == newId && t.GetProperty("received").GetBoolean());
        // The old holder no longer sees the new ticket; their own shows as transferred.
        Assert.Equal(HttpStatusCode.NotFound, (await buyer.GetAsync($"/api/tickets/{newId}")).StatusCode);
        var mine = await (await buyer.GetAsync("/api/tickets")).ReadJsonAsync();
        Assert.True(mine.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == ticketId).GetProperty("transferred").GetBoolean());

        // The recipient's mail, in their language, through the outbox, with the ticket's PDF.
        var mail = await QueryAsync(app, db => db.Notifications.AsNoTracking().SingleAsync(n => n.OrderId == newId));
        Assert.Equal((NotificationKind.TicketTransferred, recipientEmail, "fr", recipientId), (mail.Kind, mail.Recipient, mail.Language, mail.UserId));
        await new NotificationTestData(app).DispatchAsync();
        Assert.Equal(NotificationStatus.Sent, (await new NotificationTestData(app).NotificationAsync(mail.Id)).Status);

        Assert.Equal("Admitted", await ScanAsync(owner, newCode));
        // A used ticket cannot be passed on.
        await (await recipient.PostAsJsonAsync($"/api/tickets/{newId}/transfer", new { email = "third@example.com" })).AssertProblemAsync(HttpStatusCode.Conflict, "ticket_used");
    }

    [Fact]
    public async Task ARecipientWithoutAnAccount_SeesTheTicket_OnceSignedInWithThatConfirmedAddress()
    {
        var (_, _, buyer, ticketId, _) = await PaidTicketAsync();
        var email = $"friend-{Guid.NewGuid():N}@example.com";
        var newId = (await (await buyer.PostAsJsonAsync($"/api/tickets/{ticketId}/transfer", new { email })).ReadJsonAsync()).GetProperty("newTicketId").GetGuid();

        var (friend, friendId, _) = await app.CreateUserClientAsync(email: email);
        Assert.Equal(HttpStatusCode.NotFound, (await friend.GetAsync($"/api/tickets/{newId}")).StatusCode);
        await QueryAsync(app, db => db.Users.Where(u => u.Id == friendId).ExecuteUpdateAsync(s => s.SetProperty(u => u.EmailConfirmed, true)));
        Assert.Equal(HttpStatusCode.OK, (await friend.GetAsync($"/api/tickets/{newId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await friend.GetAsync($"/api/tickets/{newId}/pdf")).StatusCode);
    }

    [Fact]
    public async Task TwentyParallelTransfersOfOneTicket_IssueExactlyOneNewCode()
    {
        var (_, _, buyer, ticketId, _) = await PaidTicketAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            buyer.PostAsJsonAsync($"/api/tickets/{ticketId}/transfer", new { email = $"fan{i}@example.com" })));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.OK))
            await refused.AssertProblemAsync(HttpStatusCode.Conflict, "ticket_voided");
        var state = await QueryAsync(app, async db => new
        {
            Reissued = await db.Tickets.CountAsync(t => t.TransferredFromId == ticketId),
            Valid = await db.Tickets.CountAsync(t => t.Status == TicketStatus.Valid),
            Mails = await db.Notifications.CountAsync(n => n.Kind == NotificationKind.TicketTransferred),
        });
        Assert.Equal((1, 1, 1), (state.Reissued, state.Valid, state.Mails));
    }

    [Fact]
    public async Task TheEventsRule_RefusesNotTransferableTickets_AndTransfersBeyondTheLimit()
    {
        var (ev, owner, buyer, ticketId, _) = await PaidTicketAsync();
        (await owner.PutAsJsonAsync($"/api/events/{ev.EventId}/transfer-rule", new { transferable = false })).EnsureSuccessStatusCode();
        await (await buyer.PostAsJsonAsync($"/api/tickets/{ticketId}/transfer", new { email = "a@example.com" })).AssertProblemAsync(HttpStatusCode.Conflict, "ticket_not_transferable");

        var rule = await (await owner.PutAsJsonAsync($"/api/events/{ev.EventId}/transfer-rule", new { transferable = true, maxTransfersPerTicket = 1 })).ReadJsonAsync();
        Assert.Equal(1, rule.GetProperty("maxTransfersPerTicket").GetInt32());
        var (second, _, secondEmail) = await app.CreateUserClientAsync();
        var newId = (await (await buyer.PostAsJsonAsync($"/api/tickets/{ticketId}/transfer", new { email = secondEmail })).ReadJsonAsync()).GetProperty("newTicketId").GetGuid();
        await (await second.PostAsJsonAsync($"/api/tickets/{newId}/transfer", new { email = "b@example.com" })).AssertProblemAsync(HttpStatusCode.Conflict, "transfer_limit_reached");
        // The voided ticket cannot be transferred again, and bad input is a 400.
        await (await buyer.PostAsJsonAsync($"/api/tickets/{ticketId}/transfer", new { email = "c@example.com" })).AssertProblemAsync(HttpStatusCode.Conflict, "ticket_voided");
        await (await second.PostAsJsonAsync($"/api/tickets/{newId}/transfer", new { email = "not an address" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await owner.PutAsJsonAsync($"/api/events/{ev.EventId}/transfer-rule", new { transferable = true, maxTransfersPerTicket = 0 })).AssertProblemAsync(HttpStatusCode.BadRequest);
        // Someone else's ticket is not found.
        var (stranger, _, _) = await app.CreateUserClientAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync($"/api/tickets/{newId}/transfer", new { email = "d@example.com" })).StatusCode);
    }

    [Fact]
    public async Task ARefundedTicket_CannotBeTransferred()
    {
        var (_, owner, buyer, ticketId, _) = await PaidTicketAsync();
        var orderId = await QueryAsync(app, db => db.Tickets.Where(t => t.Id == ticketId).Select(t => t.OrderId).SingleAsync());
        (await owner.PostAsync($"/api/orders/{orderId}/refund", null)).EnsureSuccessStatusCode();
        await (await buyer.PostAsJsonAsync($"/api/tickets/{ticketId}/transfer", new { email = "a@example.com" })).AssertProblemAsync(HttpStatusCode.Conflict, "ticket_voided");
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteTicketTransferTests(SqliteApp app) : TicketTransferTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresTicketTransferTests(PostgresApp app) : TicketTransferTests(app);
