using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Accounts;
using Ticketing.Core.Events;
using Ticketing.Core.Notifications;
using Ticketing.Core.Orders;
using Ticketing.Core.Tickets;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.BackOffice;

/// <summary>Sales, refunds, cancellation and the door, through the HTTP API, on both databases.</summary>
public abstract class BackOfficeTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private sealed record Sale(Guid OrderId, IReadOnlyList<Guid> TicketIds, HttpClient Buyer, Guid BuyerId);

    private async Task<(TestEvent Event, HttpClient Owner)> EventAsync(int capacity = 50, string buyerName = "Léa Fan")
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await PurchaseTestData.Event(app).OwnedBy(ownerId).WithCategory("Carré Or", 9000, capacity).WithCategory("Fosse", 4500, capacity).SaveAsync();
        return (ev, owner);
    }

    private async Task<Sale> BuyAsync(TestEvent ev, int quantity = 2, string? name = null)
    {
        var (buyer, buyerId, _) = await app.CreateUserClientAsync(Roles.Customer, displayName: name ?? "Léa Fan");
        var hold = await PurchaseTestData.HoldAsync(buyer, ev, quantity);
        var orderId = hold.GetProperty("id").GetGuid();
        var paid = await (await buyer.PostAsJsonAsync($"/api/orders/{orderId}/payment", PurchaseTestData.Card())).ReadJsonAsync();
        return new Sale(orderId, paid.GetProperty("tickets").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToList(), buyer, buyerId);
    }

    private async Task<string> CodeAsync(Sale sale, int index = 0) =>
        (await (await sale.Buyer.GetAsync($"/api/tickets/{sale.TicketIds[index]}")).ReadJsonAsync()).GetProperty("code").GetString()!;

    [Fact]
    public async Task BackOfficeEndpoints_AnswerOnlyTheOwnerAndAdmins()
    {
        var (ev, owner) = await EventAsync();
        var sale = await BuyAsync(ev);
        var code = await CodeAsync(sale);
        var anonymous = app.CreateClient();
        var (customer, _, _) = await app.CreateUserClientAsync(Roles.Customer);
        var (otherOrganizer, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var admin = await app.AdminClientAsync();

        var reads = new[] { $"/api/events/{ev.EventId}/sales", $"/api/events/{ev.EventId}/attendees", $"/api/events/{ev.EventId}/attendees.csv" };
        foreach (var path in reads)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(path)).StatusCode);
            await (await customer.GetAsync(path)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
            await (await otherOrganizer.GetAsync(path)).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
            Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(path)).StatusCode);
        }

        // Writes: nobody but the owner and Admins; a refused write changes nothing.
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync($"/api/events/{ev.EventId}/cancel", null)).StatusCode);
        await (await customer.PostAsync($"/api/events/{ev.EventId}/cancel", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await otherOrganizer.PostAsync($"/api/events/{ev.EventId}/cancel", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await customer.PostAsync($"/api/orders/{sale.OrderId}/refund", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await otherOrganizer.PostAsync($"/api/orders/{sale.OrderId}/refund", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await sale.Buyer.PostAsync($"/api/orders/{sale.OrderId}/refund", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/checkin", new { code })).StatusCode);
        await (await customer.PostAsJsonAsync("/api/checkin", new { code })).AssertProblemAsync(HttpStatusCode.Forbidden);
        // Another organizer's scan of a genuine code: the same answer as a forged code (Invalid, no ticket details).
        var foreign = await (await otherOrganizer.PostAsJsonAsync("/api/checkin", new { code })).ReadJsonAsync();
        var forged = await (await otherOrganizer.PostAsJsonAsync("/api/checkin", new { code = code[..^2] + (code[^2..] == "AA" ? "AB" : "AA") })).ReadJsonAsync();
        Assert.Equal("Invalid", foreign.GetProperty("result").GetString());
        Assert.Equal(forged.GetRawText(), foreign.GetRawText());
        Assert.False(foreign.TryGetProperty("ticket", out var details) && details.ValueKind != JsonValueKind.Null);
        var state = await PurchaseTestData.QueryAsync(app, async db => new
        {
            Event = (await db.Events.SingleAsync(e => e.Id == ev.EventId)).Status,
            Order = (await db.Orders.SingleAsync(o => o.Id == sale.OrderId)).Status,
            Used = await db.Tickets.CountAsync(t => t.Status == TicketStatus.Used),
        });
        Assert.Equal((EventStatus.Published, OrderStatus.Paid, 0), (state.Event, state.Order, state.Used));

        // The owner and an Admin may.
        Assert.Equal("Admitted", (await (await owner.PostAsJsonAsync("/api/checkin", new { code })).ReadJsonAsync()).GetProperty("result").GetString());
        var (draft, _) = (await PurchaseTestData.Event(app).OwnedBy(Guid.NewGuid()).WithStatus(EventStatus.Draft).SaveAsync(), 0);
        await (await otherOrganizer.GetAsync($"/api/events/{draft.EventId}/sales")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/events/{draft.EventId}/sales")).StatusCode);
    }

    [Fact]
    public async Task Sales_ReportCapacitySoldHeldAvailableAndRevenuePerCategory()
    {
        var (ev, owner) = await EventAsync(capacity: 20);
        await BuyAsync(ev, 2);
        await BuyAsync(ev, 3);
        var (holder, _, _) = await app.CreateUserClientAsync();
        await PurchaseTestData.HoldAsync(holder, ev, 4); // held, not paid
        var sales = await (await owner.GetAsync($"/api/events/{ev.EventId}/sales")).ReadJsonAsync();
        var carre = sales.GetProperty("performances")[0].GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "Carré Or");
        Assert.Equal(20, carre.GetProperty("capacity").GetInt32());
        Assert.Equal(5, carre.GetProperty("sold").GetInt32());
        Assert.Equal(4, carre.GetProperty("held").GetInt32());
        Assert.Equal(11, carre.GetProperty("available").GetInt32());
        Assert.Equal(5 * 9000, carre.GetProperty("revenueMinor").GetInt64());
        Assert.Equal(5, sales.GetProperty("sold").GetInt32());
        Assert.Equal(2, sales.GetProperty("paidOrders").GetInt32());
        Assert.Equal(5, sales.GetProperty("daily").EnumerateArray().Sum(d => d.GetProperty("tickets").GetInt32()));
    }

    [Fact]
    public async Task AttendeesCsv_IsUtf8WithBom_QuotedAndSafeForSpreadsheets()
    {
        var (ev, owner) = await EventAsync();
        await BuyAsync(ev, 1, name: "Zoé \"Zaza\", Dupont");
        await BuyAsync(ev, 1, name: "=HYPERLINK(\"http://evil\")");
        var response = await owner.GetAsync($"/api/events/{ev.EventId}/attendees.csv");
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var text = Encoding.UTF8.GetString(bytes[3..]);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("ticket,holder,email,category", lines[0]);
        Assert.Contains("\"Zoé \"\"Zaza\"\", Dupont\"", text);
        Assert.DoesNotContain(",=HYPERLINK", text); // a formula never starts a cell
    }

    [Fact]
    public async Task Refund_VoidsTheTickets_ReturnsTheSeats_NotifiesOnce_AndCannotHappenTwice()
    {
        var (ev, owner) = await EventAsync(capacity: 10);
        var sale = await BuyAsync(ev, 2);
        var refunded = await (await owner.PostAsync($"/api/orders/{sale.OrderId}/refund", null)).ReadJsonAsync();
        Assert.Equal("Refunded", refunded.GetProperty("status").GetString());
        Assert.Equal(2, refunded.GetProperty("ticketsVoided").GetInt32());

        var category = await PurchaseTestData.CategoryAsync(app, ev.Categories[0].Id);
        Assert.Equal((0, 0), (category.Sold, category.Held));
        var state = await PurchaseTestData.QueryAsync(app, async db => new
        {
            Voided = await db.Tickets.CountAsync(t => t.OrderId == sale.OrderId && t.Status == TicketStatus.Voided),
            Notices = await db.Notifications.CountAsync(n => n.OrderId == sale.OrderId && n.Kind == NotificationKind.OrderRefunded),
            Refunds = await db.SimulatedCharges.CountAsync(c => c.OrderId == sale.OrderId && c.Refunded),
        });
        Assert.Equal((2, 1, 1), (state.Voided, state.Notices, state.Refunds));

        await (await owner.PostAsync($"/api/orders/{sale.OrderId}/refund", null)).AssertProblemAsync(HttpStatusCode.Conflict, "order_not_refundable");
        var (holder, _, _) = await app.CreateUserClientAsync();
        var hold = await PurchaseTestData.HoldAsync(holder, ev, 1);
        await (await owner.PostAsync($"/api/orders/{hold.GetProperty("id").GetGuid()}/refund", null))
            .AssertProblemAsync(HttpStatusCode.Conflict, "order_not_refundable");
        // The voided ticket is refused at the door.
        Assert.Equal("Voided", (await (await owner.PostAsJsonAsync("/api/checkin", new { code = await CodeAsync(sale) })).ReadJsonAsync())
            .GetProperty("result").GetString());
    }

    [Fact]
    public async Task ConcurrentRefunds_OfOneOrder_RefundItOnce()
    {
        var (ev, owner) = await EventAsync(capacity: 10);
        var sale = await BuyAsync(ev, 2);
        var admin = await app.AdminClientAsync();
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            (i % 2 == 0 ? owner : admin).PostAsync($"/api/orders/{sale.OrderId}/refund", null)));
        Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.OK), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        var category = await PurchaseTestData.CategoryAsync(app, ev.Categories[0].Id);
        Assert.Equal(0, category.Sold);
    }

    [Fact]
    public async Task CancellingAnEvent_IsIdempotent_RefundsEveryOrderOnceEvenAcrossARestart_AndNotifiesEveryBuyer()
    {
        var (ev, owner) = await EventAsync(capacity: 30);
        var sales = new List<Sale>();
        for (var i = 0; i < 4; i++) sales.Add(await BuyAsync(ev, 1 + i % 2));
        var (holder, _, _) = await app.CreateUserClientAsync();
        await PurchaseTestData.HoldAsync(holder, ev, 3);

        var first = await (await owner.PostAsync($"/api/events/{ev.EventId}/cancel", null)).ReadJsonAsync();
        Assert.Equal("Cancelled", first.GetProperty("status").GetString());
        Assert.Equal(4, first.GetProperty("ordersToRefund").GetInt32());
        var again = await (await owner.PostAsync($"/api/events/{ev.EventId}/cancel", null)).ReadJsonAsync();
        Assert.Equal(first.GetProperty("cancelledAt").GetDateTimeOffset(), again.GetProperty("cancelledAt").GetDateTimeOffset());

        // Publicly shown as cancelled; holds released at once; nothing can be bought any more.
        var pub = await (await app.CreateClient().GetAsync($"/api/events/{ev.EventId}")).ReadJsonAsync();
        Assert.Equal("Cancelled", pub.GetProperty("status").GetString());
        Assert.Equal(0, (await PurchaseTestData.CategoryAsync(app, ev.Categories[0].Id)).Held);
        var (late, _, _) = await app.CreateUserClientAsync();
        Assert.Equal(HttpStatusCode.Conflict, (await late.PostAsJsonAsync("/api/orders", PurchaseTestData.Hold(ev, 1))).StatusCode);

        // The job processes one order, the process "restarts" (a new scope and service), and the next passes finish.
        Assert.Equal(1, await PurchaseTestData.WithServiceAsync<EventCancellationService, int>(app, s => s.RefundNextBatchAsync(1)));
        var progress = await (await owner.GetAsync($"/api/events/{ev.EventId}/sales")).ReadJsonAsync();
        Assert.Equal(1, progress.GetProperty("cancellation").GetProperty("ordersRefunded").GetInt32());
        Assert.False(progress.GetProperty("cancellation").GetProperty("completed").GetBoolean());
        // Two instances working at once after the restart: still one refund per order.
        await Task.WhenAll(
            PurchaseTestData.WithServiceAsync<EventCancellationService, int>(app, s => s.RefundNextBatchAsync(10)),
            PurchaseTestData.WithServiceAsync<EventCancellationService, int>(app, s => s.RefundNextBatchAsync(10)));
        Assert.Equal(0, await PurchaseTestData.WithServiceAsync<EventCancellationService, int>(app, s => s.RefundNextBatchAsync(10)));

        var state = await PurchaseTestData.QueryAsync(app, async db => new
        {
            Refunded = await db.Orders.CountAsync(o => o.EventId == ev.EventId && o.Status == OrderStatus.Refunded),
            GatewayRefunds = await db.SimulatedCharges.CountAsync(c => c.Refunded),
            Notices = await db.Notifications.CountAsync(n => n.Kind == NotificationKind.EventCancelled),
            Valid = await db.Tickets.CountAsync(t => t.EventId == ev.EventId && t.Status != TicketStatus.Voided),
        });
        Assert.Equal((4, 4, 4, 0), (state.Refunded, state.GatewayRefunds, state.Notices, state.Valid));
        var done = await (await owner.GetAsync($"/api/events/{ev.EventId}/sales")).ReadJsonAsync();
        Assert.True(done.GetProperty("cancellation").GetProperty("completed").GetBoolean());
        Assert.Equal(0, done.GetProperty("sold").GetInt32());
    }

    [Fact]
    public async Task TwoScansOfOneTicketAtTheSameInstant_AdmitItOnce()
    {
        var (ev, owner) = await EventAsync();
        var sale = await BuyAsync(ev, 1);
        var code = await CodeAsync(sale);
        var admin = await app.AdminClientAsync();
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
            (await (await (i % 2 == 0 ? owner : admin).PostAsJsonAsync("/api/checkin", new { code, performanceId = ev.PerformanceId })).ReadJsonAsync())
                .GetProperty("result").GetString()));
        Assert.Equal(1, answers.Count(a => a == "Admitted"));
        Assert.Equal(11, answers.Count(a => a == "AlreadyUsed"));
        var again = await (await owner.PostAsJsonAsync("/api/checkin", new { code })).ReadJsonAsync();
        Assert.Equal("AlreadyUsed", again.GetProperty("result").GetString());
        Assert.Equal(JsonValueKind.String, again.GetProperty("ticket").GetProperty("usedAt").ValueKind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("TK1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("<script>alert(1)</script>")]
    public async Task Garbage_IsInvalid_NeverAnError(string code)
    {
        var (_, owner) = await EventAsync();
        var result = await (await owner.PostAsJsonAsync("/api/checkin", new { code })).ReadJsonAsync();
        Assert.Equal("Invalid", result.GetProperty("result").GetString());
    }

    [Fact]
    public async Task ACodeSignedWithAnotherKey_IsInvalid_AndAnotherDateIsWrongPerformance()
    {
        var (ev, owner) = await EventAsync();
        var sale = await BuyAsync(ev, 1);
        var forged = TicketCodeSigner.Sign(new byte[32], sale.TicketIds[0], ev.PerformanceId);
        Assert.Equal("Invalid", (await (await owner.PostAsJsonAsync("/api/checkin", new { code = forged })).ReadJsonAsync()).GetProperty("result").GetString());
        var code = await CodeAsync(sale);
        var wrong = await (await owner.PostAsJsonAsync("/api/checkin", new { code, performanceId = Guid.NewGuid() })).ReadJsonAsync();
        Assert.Equal("WrongPerformance", wrong.GetProperty("result").GetString());
        Assert.Equal(0, await PurchaseTestData.QueryAsync(app, db => db.Tickets.CountAsync(t => t.Status == TicketStatus.Used)));
    }

    [Fact]
    public async Task TwoShowsInOneCityOnOneDay_BothSell_WithNumbersUniquePerShow()
    {
        var (first, _) = await EventAsync();
        var (second, _) = await EventAsync();
        Assert.Equal(first.TicketPrefix[..8], second.TicketPrefix[..8]); // same city, same day
        var a = await BuyAsync(first, 1);
        var b = await BuyAsync(second, 1);
        var numbers = await PurchaseTestData.QueryAsync(app, db => db.Tickets.Select(t => t.Number).ToListAsync());
        Assert.Equal(2, numbers.Count);
        Assert.NotEqual(a.OrderId, b.OrderId);
    }

    [Fact]
    public async Task TheScheduler_KnowsEveryBackgroundJob()
    {
        var scheduler = await ((Quartz.ISchedulerFactory)app.Services.GetService(typeof(Quartz.ISchedulerFactory))!).GetScheduler();
        foreach (var job in new[] { "HoldExpiryJob", "PaymentRecoveryJob", "CancellationRefundJob", "NotificationDispatchJob", "BackupJob" })
            Assert.NotNull(await scheduler.GetJobDetail(new Quartz.JobKey(job)));
    }

    [Fact]
    public async Task DeletingABuyer_KeepsTheirOrdersPaymentsAndTickets_Anonymised()
    {
        var (ev, _) = await EventAsync();
        var sale = await BuyAsync(ev, 2, name: "Jeanne Secret");
        var admin = await app.AdminClientAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/users/{sale.BuyerId}")).StatusCode);
        var state = await PurchaseTestData.QueryAsync(app, async db => new
        {
            Orders = await db.Orders.CountAsync(o => o.UserId == sale.BuyerId && o.Status == OrderStatus.Paid),
            Payments = await db.Payments.CountAsync(p => p.OrderId == sale.OrderId),
            Tickets = await db.Tickets.CountAsync(t => t.UserId == sale.BuyerId),
            Names = await db.Tickets.CountAsync(t => t.HolderName.Contains("Jeanne")),
        });
        Assert.Equal((1, 1, 2, 0), (state.Orders, state.Payments, state.Tickets, state.Names));
        var orders = await (await admin.GetAsync($"/api/orders?userId={sale.BuyerId}")).ReadJsonAsync();
        Assert.Equal(1, orders.GetProperty("totalCount").GetInt32());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class BackOfficeTests_Sqlite(SqliteApp app) : BackOfficeTests(app);

[Collection(PostgresCollection.Name)]
public sealed class BackOfficeTests_Postgres(PostgresApp app) : BackOfficeTests(app);
