using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Accounts;
using Ticketing.Core.Events;
using Ticketing.Core.Orders;
using Ticketing.Core.Tickets;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Orders;

/// <summary>A scanned ticket's holder is inside: its order is not refunded on request, and its seat never goes back on sale.</summary>
public abstract class UsedTicketRefundTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(TestEvent Event, HttpClient Owner, Guid OrderId, string Code)> PaidOrderWithOneScannedTicketAsync()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 4500, 10).SaveAsync();
        var (buyer, _, _) = await app.CreateUserClientAsync();
        var orderId = (await HoldAsync(buyer, ev, 2)).GetProperty("id").GetGuid();
        var paid = await (await buyer.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).ReadJsonAsync();
        var ticketId = paid.GetProperty("tickets")[0].GetProperty("id").GetGuid();
        var code = (await (await buyer.GetAsync($"/api/tickets/{ticketId}")).ReadJsonAsync()).GetProperty("code").GetString()!;
        Assert.Equal("Admitted", (await (await owner.PostAsJsonAsync("/api/checkin", new { code })).ReadJsonAsync()).GetProperty("result").GetString());
        return (ev, owner, orderId, code);
    }

    [Fact]
    public async Task RefundingAnOrderWithAScannedTicket_Answers409TicketUsed_AndChangesNothing_EvenWhenAskedInParallel()
    {
        var (ev, owner, orderId, code) = await PaidOrderWithOneScannedTicketAsync();
        var admin = await app.AdminClientAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            (i % 2 == 0 ? owner : admin).PostAsync($"/api/orders/{orderId}/refund", null)));

        foreach (var answer in answers) await answer.AssertProblemAsync(HttpStatusCode.Conflict, "ticket_used");
        var state = await QueryAsync(app, async db => new
        {
            Order = (await db.Orders.SingleAsync(o => o.Id == orderId)).Status,
            Used = await db.Tickets.CountAsync(t => t.OrderId == orderId && t.Status == TicketStatus.Used),
            Valid = await db.Tickets.CountAsync(t => t.OrderId == orderId && t.Status == TicketStatus.Valid),
            GatewayRefunds = await db.SimulatedCharges.CountAsync(c => c.Refunded),
        });
        Assert.Equal((OrderStatus.Paid, 1, 1, 0), (state.Order, state.Used, state.Valid, state.GatewayRefunds));
        var category = await CategoryAsync(app, ev.Categories[0].Id);
        Assert.Equal((2, 0), (category.Sold, category.Held));
        Assert.Equal("AlreadyUsed", (await (await owner.PostAsJsonAsync("/api/checkin", new { code })).ReadJsonAsync()).GetProperty("result").GetString());
    }

    [Fact]
    public async Task CancellingAnEventWithAScannedTicket_RefundsTheOrder_KeepsTheTicketUsed_AndItsSeatSold()
    {
        var (ev, owner, orderId, _) = await PaidOrderWithOneScannedTicketAsync();

        (await owner.PostAsync($"/api/events/{ev.EventId}/cancel", null)).EnsureSuccessStatusCode();
        await WithServiceAsync<EventCancellationService, int>(app, s => s.RefundNextBatchAsync(10));

        var state = await QueryAsync(app, async db => new
        {
            Order = (await db.Orders.SingleAsync(o => o.Id == orderId)).Status,
            Used = await db.Tickets.CountAsync(t => t.OrderId == orderId && t.Status == TicketStatus.Used),
            Voided = await db.Tickets.CountAsync(t => t.OrderId == orderId && t.Status == TicketStatus.Voided),
            GatewayRefunds = await db.SimulatedCharges.CountAsync(c => c.Refunded),
        });
        Assert.Equal((OrderStatus.Refunded, 1, 1, 1), (state.Order, state.Used, state.Voided, state.GatewayRefunds));
        Assert.Equal(1, (await CategoryAsync(app, ev.Categories[0].Id)).Sold);
    }

    [Fact]
    public async Task CancellingAnEvent_RefundsWhatAPartialRefundLeft_UsedTicketIncluded_Once()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 4500, 10).SaveAsync();
        var (buyer, _, _) = await app.CreateUserClientAsync();
        var orderId = (await HoldAsync(buyer, ev, 3)).GetProperty("id").GetGuid();
        var paid = await (await buyer.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).ReadJsonAsync();
        var ticketIds = paid.GetProperty("tickets").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToList();
        var total = await QueryAsync(app, db => db.Orders.Where(o => o.Id == orderId).Select(o => o.TotalMinor).SingleAsync());
        // One ticket refunded on request, one scanned at the door, one still valid.
        (await owner.PostAsJsonAsync($"/api/orders/{orderId}/refund", new { ticketIds = new[] { ticketIds[0] } })).EnsureSuccessStatusCode();
        var code = (await (await buyer.GetAsync($"/api/tickets/{ticketIds[1]}")).ReadJsonAsync()).GetProperty("code").GetString()!;
        Assert.Equal("Admitted", (await (await owner.PostAsJsonAsync("/api/checkin", new { code })).ReadJsonAsync()).GetProperty("result").GetString());

        (await owner.PostAsync($"/api/events/{ev.EventId}/cancel", null)).EnsureSuccessStatusCode();
        var progress = (await (await owner.GetAsync($"/api/events/{ev.EventId}/sales")).ReadJsonAsync()).GetProperty("cancellation");
        Assert.Equal((1, false), (progress.GetProperty("ordersToRefund").GetInt32(), progress.GetProperty("completed").GetBoolean()));
        // Two passes of the job at once, then another: the rest is refunded once.
        await Task.WhenAll(
            WithServiceAsync<EventCancellationService, int>(app, s => s.RefundNextBatchAsync(10)),
            WithServiceAsync<EventCancellationService, int>(app, s => s.RefundNextBatchAsync(10)));
        await WithServiceAsync<EventCancellationService, int>(app, s => s.RefundNextBatchAsync(10));

        var state = await QueryAsync(app, async db => new
        {
            Order = (await db.Orders.SingleAsync(o => o.Id == orderId)).Status,
            Used = await db.Tickets.CountAsync(t => t.OrderId == orderId && t.Status == TicketStatus.Used),
            Voided = await db.Tickets.CountAsync(t => t.OrderId == orderId && t.Status == TicketStatus.Voided),
            CreditNotes = await db.Receipts.Where(r => r.OrderId == orderId && r.Kind == Ticketing.Core.Receipts.ReceiptKind.CreditNote).Select(r => r.TotalMinor).ToListAsync(),
        });
        Assert.Equal((OrderStatus.Refunded, 1, 2), (state.Order, state.Used, state.Voided));
        Assert.Equal(2, state.CreditNotes.Count);
        Assert.Equal(total, state.CreditNotes.Sum());
        Assert.Equal(1, (await CategoryAsync(app, ev.Categories[0].Id)).Sold);
        progress = (await (await owner.GetAsync($"/api/events/{ev.EventId}/sales")).ReadJsonAsync()).GetProperty("cancellation");
        Assert.True(progress.GetProperty("completed").GetBoolean());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteUsedTicketRefundTests(SqliteApp app) : UsedTicketRefundTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresUsedTicketRefundTests(PostgresApp app) : UsedTicketRefundTests(app);
