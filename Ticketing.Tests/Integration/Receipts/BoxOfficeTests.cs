using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Accounts;
using Ticketing.Core.Payments;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Receipts;

/// <summary>Sales at the desk: Paid at once with tickets and a receipt, the same seat rules, owner or Admin only, counted apart.</summary>
public abstract class BoxOfficeTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static object Sale(TestEvent ev, int quantity, string method = "Cash", string? email = null) => new
    {
        performanceId = ev.PerformanceId, items = new[] { new { categoryId = ev.Categories[0].Id, quantity } }, method,
        reference = "TPE-0042", buyer = new { displayName = "Jean Guichet", email },
    };

    [Fact]
    public async Task TheOwner_SellsAtTheDesk_GetsAPaidOrderWithTicketsAndAReceipt_CountedApartInTheSalesReport()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Placement libre", 1200, 10).SaveAsync();

        var response = await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/box-office-sales", Sale(ev, 3, "CardTerminal", "jean@example.com"));
        var order = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Paid", order.GetProperty("status").GetString());
        Assert.Equal(3, order.GetProperty("tickets").GetArrayLength());
        Assert.Equal("Jean Guichet", order.GetProperty("tickets")[0].GetProperty("holderName").GetString());
        Assert.StartsWith("R-", order.GetProperty("receiptNumber").GetString());
        var orderId = order.GetProperty("id").GetGuid();
        Assert.Equal(3, (await CategoryAsync(app, ev.Categories[0].Id)).Sold);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/api/orders/{orderId}/tickets.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/api/orders/{orderId}/receipt")).StatusCode);
        var payment = await QueryAsync(app, db => db.Payments.AsNoTracking().SingleAsync(p => p.OrderId == orderId));
        Assert.Equal(("CardTerminal", PaymentStatus.Approved, "TPE-0042"), (payment.Provider, payment.Status, payment.GatewayReference));
        Assert.Equal(1, await QueryAsync(app, db => db.Notifications.CountAsync(n => n.OrderId == orderId && n.Recipient == "jean@example.com")));

        var sales = await (await owner.GetAsync($"/api/events/{ev.EventId}/sales")).ReadJsonAsync();
        var desk = sales.GetProperty("boxOffice").EnumerateArray().Single(d => d.GetProperty("method").GetString() == "CardTerminal");
        Assert.Equal((1, 3, 3600L), (desk.GetProperty("orders").GetInt32(), desk.GetProperty("tickets").GetInt32(), desk.GetProperty("revenueMinor").GetInt64()));

        // Refunded at the desk (no gateway knows that charge): a credit note, the seat back on sale.
        var ticketId = order.GetProperty("tickets")[0].GetProperty("id").GetGuid();
        var refund = await (await owner.PostAsJsonAsync($"/api/orders/{orderId}/refund", new { ticketIds = new[] { ticketId } })).ReadJsonAsync();
        Assert.Equal("PartiallyRefunded", refund.GetProperty("status").GetString());
        Assert.StartsWith("C-", refund.GetProperty("creditNoteNumber").GetString());
        Assert.Equal(2, (await CategoryAsync(app, ev.Categories[0].Id)).Sold);
    }

    [Fact]
    public async Task TheDesk_NeverOversells_EvenWithParallelSalesAndOnlineBuyers()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 1000, 10).SaveAsync();
        var admin = await app.AdminClientAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            (i % 2 == 0 ? owner : admin).PostAsJsonAsync($"/api/events/{ev.EventId}/box-office-sales", Sale(ev, 2))));

        Assert.Equal(5, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var category = await CategoryAsync(app, ev.Categories[0].Id);
        Assert.Equal((10, 0), (category.Sold, category.Held));
        var (buyer, _, _) = await app.CreateUserClientAsync();
        await (await buyer.PostAsJsonAsync("/api/orders", Hold(ev, 1))).AssertProblemAsync(HttpStatusCode.Conflict, "sold_out");
        await (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/box-office-sales", Sale(ev, 1))).AssertProblemAsync(HttpStatusCode.Conflict, "sold_out");
    }

    [Fact]
    public async Task OnlyTheOwnerOrAnAdmin_Sells_AndTheBodyIsChecked()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).SaveAsync();
        var (other, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var (customer, _, _) = await app.CreateUserClientAsync();

        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync($"/api/events/{ev.EventId}/box-office-sales", Sale(ev, 1))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.PostAsJsonAsync($"/api/events/{ev.EventId}/box-office-sales", Sale(ev, 1))).StatusCode);
        var bad = await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/box-office-sales", new
        {
            performanceId = ev.PerformanceId, items = new[] { new { categoryId = ev.Categories[0].Id, quantity = 0 } }, method = "Cash",
            buyer = new { displayName = "", email = "not-an-email" },
        });
        var problem = await bad.ReadJsonAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("buyer.displayName", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("buyer.email", out _));
        Assert.Equal(HttpStatusCode.Created, (await (await app.AdminClientAsync()).PostAsJsonAsync($"/api/events/{ev.EventId}/box-office-sales", Sale(ev, 1))).StatusCode);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteBoxOfficeTests(SqliteApp app) : BoxOfficeTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresBoxOfficeTests(PostgresApp app) : BoxOfficeTests(app);
