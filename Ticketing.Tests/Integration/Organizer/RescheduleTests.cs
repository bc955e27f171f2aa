using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Accounts;
using Ticketing.Core.Notifications;
using Ticketing.Tests.Infrastructure;
using Ticketing.Tests.Integration.Notifications;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Organizer;

/// <summary>A performance moved: holders notified (mail in their language, SMS for SMS buyers), a refund window that opens and closes; price changes affect new sales only.</summary>
public abstract class RescheduleTests(SmtpTicketingApp app) : IAsyncLifetime
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

    [Fact]
    public async Task AReschedule_NotifiesEveryHolder_AndOpensARefundWindowThatCloses()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).Titled("Rock en Seine").WithCategory("Fosse", 5000, 50).SaveAsync();
        var (alice, _, aliceEmail) = await app.CreateUserClientAsync(displayName: "Alice Martin");
        var (lea, _, leaEmail) = await app.CreateUserClientAsync(displayName: "Léa Dubois", language: "fr", channel: NotificationChannel.Sms, phone: "+33612345678");
        var (bob, _, _) = await app.CreateUserClientAsync(displayName: "Bob");
        var aliceOrder = (await AttendeeMessageTests.BuyAsync(alice, ev, 2)).GetProperty("id").GetGuid();
        var leaOrder = (await AttendeeMessageTests.BuyAsync(lea, ev, 1)).GetProperty("id").GetGuid();
        var bobOrder = (await AttendeeMessageTests.BuyAsync(bob, ev, 1)).GetProperty("id").GetGuid();
        await new NotificationTestData(app).DispatchAsync();
        app.Smtp.Clear();
        // Before any reschedule a buyer cannot refund their own order (it is the organizer's decision): 404 as before.
        Assert.Equal(HttpStatusCode.NotFound, (await alice.PostAsync($"/api/orders/{aliceOrder}/refund", null)).StatusCode);

        var newDate = app.Clock.GetUtcNow().AddDays(60);
        var refundUntil = app.Clock.GetUtcNow().AddDays(10);
        var (other, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync($"/api/events/{ev.EventId}/performances/{ev.PerformanceId}/reschedule",
            new { startsAt = newDate })).StatusCode);
        await (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/performances/{ev.PerformanceId}/reschedule",
            new { startsAt = app.Clock.GetUtcNow().AddDays(-1) })).AssertProblemAsync(HttpStatusCode.BadRequest);
        var moved = await (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/performances/{ev.PerformanceId}/reschedule",
            new { startsAt = newDate, venue = new { name = "Zénith", city = "Lyon", address = "7 avenue Simone Veil" }, refundUntil })).ReadJsonAsync();
        Assert.Equal(3, moved.GetProperty("notified").GetInt32());
        var performance = await QueryAsync(app, db => db.Performances.AsNoTracking().SingleAsync(p => p.Id == ev.PerformanceId));
        Assert.Equal(("Zénith", "Lyon"), (performance.VenueName, performance.City));
        Assert.Equal(newDate.UtcTicks / TimeSpan.TicksPerSecond, performance.StartsAt.UtcTicks / TimeSpan.TicksPerSecond);

        await new NotificationTestData(app).DispatchAsync();
        var mails = app.Smtp.Messages.ToList();
        Assert.Equal(3, mails.Count);
        var aliceMail = mails.Single(m => m.To.Mailboxes.Single().Address == aliceEmail);
        Assert.Equal("New date for Rock en Seine", aliceMail.Subject);
        Assert.Contains("Zénith", aliceMail.TextBody!);
        Assert.Contains("/account/orders", aliceMail.TextBody!);
        Assert.Equal("Nouvelle date pour Rock en Seine", mails.Single(m => m.To.Mailboxes.Single().Address == leaEmail).Subject);
        var sms = await QueryAsync(app, db => db.SmsMessages.AsNoTracking().ToListAsync());
        var text = Assert.Single(sms, s => s.To == "+33612345678" && s.Body.Contains("Remboursement")); // besides her order's confirmation
        Assert.Contains("Rock en Seine", text.Body);

        // In the window: Alice refunds her own order; a buyer after the change does not get the window.
        var refunded = await (await alice.PostAsync($"/api/orders/{aliceOrder}/refund", null)).ReadJsonAsync();
        Assert.Equal("Refunded", refunded.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await alice.PostAsync($"/api/orders/{leaOrder}/refund", null)).StatusCode); // not hers
        var (late, _, _) = await app.CreateUserClientAsync(displayName: "Late");
        var lateOrder = (await AttendeeMessageTests.BuyAsync(late, ev, 1)).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await late.PostAsync($"/api/orders/{lateOrder}/refund", null)).StatusCode);

        // After the window: closed.
        app.Clock.Advance(TimeSpan.FromDays(11));
        await (await bob.PostAsync($"/api/orders/{bobOrder}/refund", null)).AssertProblemAsync(HttpStatusCode.Conflict, "refund_window_closed");
        Assert.Equal("Paid", (await (await bob.GetAsync($"/api/orders/{bobOrder}")).ReadJsonAsync()).GetProperty("status").GetString());
        // The organizer still can.
        Assert.Equal("Refunded", (await (await owner.PostAsync($"/api/orders/{bobOrder}/refund", null)).ReadJsonAsync()).GetProperty("status").GetString());

        var history = await (await owner.GetAsync($"/api/events/{ev.EventId}/messages")).ReadJsonAsync();
        Assert.Equal("Reschedule", history.GetProperty("items")[0].GetProperty("kind").GetString());
    }

    [Fact]
    public async Task APriceChange_LeavesExistingOrders_AndAppliesToNewSales()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 5000, 50).SaveAsync();
        var (buyer, _, _) = await app.CreateUserClientAsync();
        var before = await AttendeeMessageTests.BuyAsync(buyer, ev, 2);
        var beforeId = before.GetProperty("id").GetGuid();

        var current = await (await owner.GetAsync($"/api/events/{ev.EventId}")).ReadJsonAsync();
        (await owner.PutAsJsonAsync($"/api/events/{ev.EventId}", UpdateBody(current, price: 65m))).EnsureSuccessStatusCode();

        var (next, _, _) = await app.CreateUserClientAsync();
        var after = await AttendeeMessageTests.BuyAsync(next, ev, 1);
        var orders = await QueryAsync(app, db => db.Orders.AsNoTracking().Include(o => o.Items).Where(o => o.EventId == ev.EventId).ToListAsync());
        var old = orders.Single(o => o.Id == beforeId);
        Assert.Equal(10000, old.TotalMinor);
        Assert.Equal(5000, old.Items.Single().UnitPriceMinor);
        Assert.All(await QueryAsync(app, db => db.Tickets.AsNoTracking().Where(t => t.OrderId == beforeId).ToListAsync()), t => Assert.Equal(5000, t.PriceMinor));
        var fresh = orders.Single(o => o.Id == after.GetProperty("id").GetGuid());
        Assert.Equal(6500, fresh.TotalMinor - fresh.Items.Sum(i => i.UnitFeeMinor * i.Quantity));
        Assert.Equal(10000, (await (await buyer.GetAsync($"/api/orders/{beforeId}")).ReadJsonAsync()).GetProperty("total").GetDecimal() * 100);
    }

    private static object UpdateBody(JsonElement ev, decimal price) => new
    {
        title = ev.GetProperty("title").GetString(), description = ev.GetProperty("description").GetString(),
        category = ev.GetProperty("category").GetString(), maxTicketsPerOrder = ev.GetProperty("maxTicketsPerOrder").GetInt32(),
        performances = ev.GetProperty("performances").EnumerateArray().Select(p => new
        {
            id = p.GetProperty("id").GetGuid(), startsAt = p.GetProperty("startsAt").GetDateTimeOffset(),
            venue = new { name = p.GetProperty("venue").GetProperty("name").GetString(), city = p.GetProperty("venue").GetProperty("city").GetString() },
            categories = p.GetProperty("categories").EnumerateArray().Select(c => new
            {
                id = c.GetProperty("id").GetGuid(), name = c.GetProperty("name").GetString(), price, capacity = c.GetProperty("capacity").GetInt32(),
            }).ToArray(),
        }).ToArray(),
    };
}

public sealed class SqliteRescheduleTests(SmtpSqliteApp app) : RescheduleTests(app), IClassFixture<SmtpSqliteApp>;

public sealed class PostgresRescheduleTests(SmtpPostgresApp app) : RescheduleTests(app), IClassFixture<SmtpPostgresApp>;
