using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Accounts;
using Ticketing.Core.Orders;
using Ticketing.Core.Receipts;
using Ticketing.Core.Tickets;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Receipts;

/// <summary>Refunds of some tickets of an order: voided, seats back on sale, a credit note, money back once through the gateway.</summary>
public abstract class PartialRefundTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private int Year => app.Clock.GetUtcNow().UtcDateTime.Year;

    /// <summary>A paid order of 3 tickets at 45.00 + 1.50 booking fee each (139.50).</summary>
    private async Task<(TestEvent Event, HttpClient Owner, HttpClient Buyer, Guid OrderId, List<Guid> Tickets)> PaidOrderAsync()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 4500, 10).SaveAsync();
        await QueryAsync(app, db => db.Events.Where(e => e.Id == ev.EventId).ExecuteUpdateAsync(s => s.SetProperty(e => e.BookingFeeMinor, 150)));
        var (buyer, _, _) = await app.CreateUserClientAsync();
        var orderId = (await HoldAsync(buyer, ev, 3)).GetProperty("id").GetGuid();
        var paid = await (await buyer.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).ReadJsonAsync();
        var tickets = paid.GetProperty("tickets").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToList();
        return (ev, owner, buyer, orderId, tickets);
    }

    private Task<long> RefundedAtGatewayAsync(Guid orderId) =>
        QueryAsync(app, db => db.SimulatedCharges.Where(c => c.OrderId == orderId && c.Approved).Select(c => c.Refunded ? c.AmountMinor : c.RefundedMinor).SingleAsync());

    [Fact]
    public async Task RefundingOneTicket_VoidsIt_ReturnsItsSeat_IssuesACreditNote_ThenTheRestRefundsTheOrder()
    {
        var (ev, owner, buyer, orderId, tickets) = await PaidOrderAsync();

        var first = await (await owner.PostAsJsonAsync($"/api/orders/{orderId}/refund", new { ticketIds = new[] { tickets[1] } })).ReadJsonAsync();
        Assert.Equal("PartiallyRefunded", first.GetProperty("status").GetString());
        Assert.Equal(4650, first.GetProperty("amountMinor").GetInt64());
        Assert.Equal($"C-{Year}-000001", first.GetProperty("creditNoteNumber").GetString());
        Assert.Equal(4650, await RefundedAtGatewayAsync(orderId));
        Assert.Equal(2, (await CategoryAsync(app, ev.Categories[0].Id)).Sold);
        var order = await (await buyer.GetAsync($"/api/orders/{orderId}")).ReadJsonAsync();
        Assert.Equal("PartiallyRefunded", order.GetProperty("status").GetString());
        Assert.Equal(["Valid", "Voided", "Valid"], order.GetProperty("tickets").EnumerateArray().Select(t => t.GetProperty("status").GetString()));
        Assert.Equal([$"C-{Year}-000001"], order.GetProperty("creditNoteNumbers").EnumerateArray().Select(n => n.GetString()));
        var pdf = await owner.GetAsync($"/api/orders/{orderId}/receipt?number=C-{Year}-000001");
        Assert.Equal(HttpStatusCode.OK, pdf.StatusCode);
        File.WriteAllBytes(Path.Combine(AppContext.BaseDirectory, $"credit-note-{app.Provider}.pdf"), await pdf.Content.ReadAsByteArrayAsync());

        // The same ticket again: nothing more.
        await (await owner.PostAsJsonAsync($"/api/orders/{orderId}/refund", new { ticketIds = new[] { tickets[1] } }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "order_not_refundable");

        var rest = await (await owner.PostAsync($"/api/orders/{orderId}/refund", null)).ReadJsonAsync();
        Assert.Equal("Refunded", rest.GetProperty("status").GetString());
        Assert.Equal(9300, rest.GetProperty("amountMinor").GetInt64());
        Assert.Equal($"C-{Year}-000002", rest.GetProperty("creditNoteNumber").GetString());
        Assert.Equal(13950, await RefundedAtGatewayAsync(orderId));
        Assert.Equal(0, (await CategoryAsync(app, ev.Categories[0].Id)).Sold);
        var notes = await QueryAsync(app, db => db.Receipts.AsNoTracking().Where(r => r.Kind == ReceiptKind.CreditNote).OrderBy(r => r.Sequence).ToListAsync());
        Assert.Equal(13950, notes.Sum(n => n.TotalMinor));
        Assert.All(notes, n => Assert.Equal($"R-{Year}-000001", n.CorrectsNumber));
        await (await owner.PostAsync($"/api/orders/{orderId}/refund", null)).AssertProblemAsync(HttpStatusCode.Conflict, "order_not_refundable");
    }

    [Fact]
    public async Task ParallelRefundsOfTheSameTicket_RefundItOnce()
    {
        var (ev, owner, _, orderId, tickets) = await PaidOrderAsync();
        var admin = await app.AdminClientAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            (i % 2 == 0 ? owner : admin).PostAsJsonAsync($"/api/orders/{orderId}/refund", new { ticketIds = new[] { tickets[0] } })));

        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.OK))
            await refused.AssertProblemAsync(HttpStatusCode.Conflict, "order_not_refundable");
        Assert.Equal(4650, await RefundedAtGatewayAsync(orderId));
        Assert.Equal(2, (await CategoryAsync(app, ev.Categories[0].Id)).Sold);
        Assert.Equal(1, await QueryAsync(app, db => db.Receipts.CountAsync(r => r.Kind == ReceiptKind.CreditNote)));
        Assert.Equal(OrderStatus.PartiallyRefunded, await QueryAsync(app, db => db.Orders.Where(o => o.Id == orderId).Select(o => o.Status).SingleAsync()));
    }

    [Fact]
    public async Task ParallelRefundsOfOverlappingTicketsAndTheWholeOrder_NeverRefundATicketTwice()
    {
        var (ev, owner, _, orderId, tickets) = await PaidOrderAsync();
        var admin = await app.AdminClientAsync();
        object?[] bodies = [new { ticketIds = new[] { tickets[0], tickets[1] } }, new { ticketIds = new[] { tickets[1], tickets[2] } }, null, new { ticketIds = new[] { tickets[2] } }];

        var answers = await Task.WhenAll(bodies.Concat(bodies).Select((body, i) =>
            (i % 2 == 0 ? owner : admin).PostAsJsonAsync($"/api/orders/{orderId}/refund", body)));

        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, a.StatusCode.ToString()));
        var refunded = await RefundedAtGatewayAsync(orderId);
        var voided = await QueryAsync(app, db => db.Tickets.CountAsync(t => t.OrderId == orderId && t.Status == TicketStatus.Voided));
        Assert.Equal(voided * 4650, refunded);
        Assert.Equal(refunded, await QueryAsync(app, db => db.Receipts.Where(r => r.Kind == ReceiptKind.CreditNote).SumAsync(r => r.TotalMinor)));
        Assert.Equal(3 - voided, (await CategoryAsync(app, ev.Categories[0].Id)).Sold);
    }

    [Fact]
    public async Task AScannedTicket_AnUnknownTicket_AndSomeoneElsesOrder_AreRefused()
    {
        var (_, owner, buyer, orderId, tickets) = await PaidOrderAsync();
        var code = (await (await buyer.GetAsync($"/api/tickets/{tickets[0]}")).ReadJsonAsync()).GetProperty("code").GetString()!;
        Assert.Equal("Admitted", (await (await owner.PostAsJsonAsync("/api/checkin", new { code })).ReadJsonAsync()).GetProperty("result").GetString());

        await (await owner.PostAsJsonAsync($"/api/orders/{orderId}/refund", new { ticketIds = new[] { tickets[0] } }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "ticket_used");
        await (await owner.PostAsJsonAsync($"/api/orders/{orderId}/refund", new { ticketIds = new[] { Guid.NewGuid() } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        var (otherOwner, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        await (await otherOwner.PostAsJsonAsync($"/api/orders/{orderId}/refund", new { ticketIds = new[] { tickets[1] } }))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        await (await buyer.PostAsJsonAsync($"/api/orders/{orderId}/refund", new { ticketIds = new[] { tickets[1] } }))
            .AssertProblemAsync(HttpStatusCode.NotFound);

        // The other two can still be refunded; the scanned one keeps the order PartiallyRefunded.
        var refund = await (await owner.PostAsJsonAsync($"/api/orders/{orderId}/refund", new { ticketIds = new[] { tickets[1], tickets[2] } })).ReadJsonAsync();
        Assert.Equal("PartiallyRefunded", refund.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, refund.GetProperty("creditNoteNumber").ValueKind);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqlitePartialRefundTests(SqliteApp app) : PartialRefundTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresPartialRefundTests(PostgresApp app) : PartialRefundTests(app);
