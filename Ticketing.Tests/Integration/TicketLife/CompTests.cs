using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Accounts;
using Ticketing.Core.Notifications;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.TicketLife;

/// <summary>Complimentary tickets: from a quota, against capacity (never exceeded, even in parallel), mailed, counted apart in the sales report.</summary>
public abstract partial class CompTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static object Comp(TestEvent ev, int quantity, string email = "press@example.com") => new
    {
        performanceId = ev.PerformanceId, categoryId = ev.Categories[0].Id, quantity,
        guest = new { displayName = "Claire Presse", email }, note = "Le Monde",
    };

    private async Task<(TestEvent Event, HttpClient Owner)> EventWithQuotaAsync(int capacity, int quota)
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Carré Or", 8000, capacity).SaveAsync();
        var set = await (await owner.PutAsJsonAsync($"/api/events/{ev.EventId}/comp-quotas",
            new { performanceId = ev.PerformanceId, categoryId = ev.Categories[0].Id, quota })).ReadJsonAsync();
        Assert.Equal((quota, 0, quota), (set.GetProperty("quota").GetInt32(), set.GetProperty("issued").GetInt32(), set.GetProperty("remaining").GetInt32()));
        return (ev, owner);
    }

    [Fact]
    public async Task TheOwner_IssuesComps_ZeroPriceTicketsMailedToTheGuest_CountedAgainstCapacityAndAsCompsInTheReport()
    {
        var (ev, owner) = await EventWithQuotaAsync(capacity: 10, quota: 4);

        var comp = await (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/comps", Comp(ev, 3))).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(3, comp.GetProperty("ticketNumbers").GetArrayLength());
        var orderId = comp.GetProperty("orderId").GetGuid();
        Assert.Equal(3, (await CategoryAsync(app, ev.Categories[0].Id)).Sold);
        var tickets = await QueryAsync(app, db => db.Tickets.AsNoTracking().Where(t => t.OrderId == orderId).ToListAsync());
        Assert.All(tickets, t => Assert.Equal((0L, "Claire Presse"), (t.PriceMinor, t.HolderName)));
        var mail = await QueryAsync(app, db => db.Notifications.AsNoTracking().SingleAsync(n => n.OrderId == orderId));
        Assert.Equal((NotificationKind.OrderConfirmed, "press@example.com"), (mail.Kind, mail.Recipient));
        await new NotificationTestData(app).DispatchAsync();
        Assert.Equal(NotificationStatus.Sent, (await new NotificationTestData(app).NotificationAsync(mail.Id)).Status);

        var sales = await (await owner.GetAsync($"/api/events/{ev.EventId}/sales")).ReadJsonAsync();
        Assert.Equal(3, sales.GetProperty("comps")[0].GetProperty("tickets").GetInt32());
        Assert.Equal(0, sales.GetProperty("revenueMinor").GetInt64());
        Assert.Equal(0, sales.GetProperty("paidOrders").GetInt32()); // comps are not buyers' orders
        var list = await (await owner.GetAsync($"/api/events/{ev.EventId}/comps")).ReadJsonAsync();
        Assert.Equal(1, list.GetProperty("totalCount").GetInt32());
        Assert.Equal("Le Monde", list.GetProperty("items")[0].GetProperty("note").GetString());

        // Beyond the quota; a quota below what is issued; someone else's event.
        var over = await (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/comps", Comp(ev, 2))).AssertProblemAsync(HttpStatusCode.Conflict, "comp_quota_exceeded");
        Assert.Equal(1, over.GetProperty("remaining").GetInt32());
        await (await owner.PutAsJsonAsync($"/api/events/{ev.EventId}/comp-quotas",
            new { performanceId = ev.PerformanceId, categoryId = ev.Categories[0].Id, quota = 2 })).AssertProblemAsync(HttpStatusCode.BadRequest);
        var (other, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync($"/api/events/{ev.EventId}/comps", Comp(ev, 1))).StatusCode);
        await (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/comps", new { performanceId = ev.PerformanceId, categoryId = ev.Categories[0].Id, quantity = 1, guest = new { displayName = "X", email = "nope" } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ParallelComps_NeverExceedTheQuota()
    {
        var (ev, owner) = await EventWithQuotaAsync(capacity: 100, quota: 7);
        var admin = await app.AdminClientAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            (i % 2 == 0 ? owner : admin).PostAsJsonAsync($"/api/events/{ev.EventId}/comps", Comp(ev, 1, $"guest{i}@example.com"))));

        Assert.Equal(7, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        foreach (var refused in answers.Where(a => a.StatusCode != HttpStatusCode.Created))
            await refused.AssertProblemAsync(HttpStatusCode.Conflict, "comp_quota_exceeded");
        Assert.Equal(7, (await CategoryAsync(app, ev.Categories[0].Id)).Sold);
        Assert.Equal(7, await QueryAsync(app, db => db.Tickets.CountAsync(t => t.EventId == ev.EventId)));
    }

    [Fact]
    public async Task ParallelComps_AndOnlineBuyers_NeverExceedCapacity()
    {
        var (ev, owner) = await EventWithQuotaAsync(capacity: 6, quota: 50);
        var buyers = new List<HttpClient>();
        for (var i = 0; i < 4; i++) buyers.Add((await app.CreateUserClientAsync()).Client);

        var comps = Enumerable.Range(0, 12).Select(i => owner.PostAsJsonAsync($"/api/events/{ev.EventId}/comps", Comp(ev, 1, $"g{i}@example.com")));
        var holds = buyers.Select(b => b.PostAsJsonAsync("/api/orders", Hold(ev, 1)));
        var answers = await Task.WhenAll(comps.Concat(holds));

        var created = answers.Take(12).Count(a => a.StatusCode == HttpStatusCode.Created);
        foreach (var refused in answers.Take(12).Where(a => a.StatusCode != HttpStatusCode.Created))
            await refused.AssertProblemAsync(HttpStatusCode.Conflict, "sold_out");
        var category = await CategoryAsync(app, ev.Categories[0].Id);
        Assert.True(category.Sold + category.Held <= 6);
        Assert.Equal(created, category.Sold);
        Assert.Equal(created, await QueryAsync(app, db => db.Tickets.CountAsync(t => t.EventId == ev.EventId)));
        Assert.Equal(created, await QueryAsync(app, db => db.CompQuotas.Where(q => q.CategoryId == ev.Categories[0].Id).Select(q => q.Issued).SingleAsync()));
    }

    [Fact]
    public async Task CancellingAComp_VoidsItsTickets_PutsTheSeatsBack_GivesTheQuotaBack_Once_AndTellsTheGuest()
    {
        var (ev, owner) = await EventWithQuotaAsync(capacity: 10, quota: 4);
        var admin = await app.AdminClientAsync();
        var comp = await (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/comps", Comp(ev, 3))).ReadJsonAsync(HttpStatusCode.Created);
        var compId = comp.GetProperty("id").GetGuid();
        var orderId = comp.GetProperty("orderId").GetGuid();
        Assert.False(comp.GetProperty("cancelled").GetBoolean());

        // Sixteen cancellations at once, by the owner and an Admin: one cancels, the others find it done.
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(i =>
            (i % 2 == 0 ? owner : admin).PostAsync($"/api/events/{ev.EventId}/comps/{compId}/cancel", null)));
        var done = Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.True((await done.ReadJsonAsync()).GetProperty("cancelled").GetBoolean());
        foreach (var refused in answers.Where(a => a != done)) await refused.AssertProblemAsync(HttpStatusCode.Conflict, "order_not_refundable");

        Assert.Equal(0, (await CategoryAsync(app, ev.Categories[0].Id)).Sold);
        Assert.All(await QueryAsync(app, db => db.Tickets.AsNoTracking().Where(t => t.OrderId == orderId).ToListAsync()),
            t => Assert.Equal(Ticketing.Core.Tickets.TicketStatus.Voided, t.Status));
        var quota = (await (await owner.GetAsync($"/api/events/{ev.EventId}/comp-quotas")).ReadJsonAsync())[0];
        Assert.Equal((0, 4), (quota.GetProperty("issued").GetInt32(), quota.GetProperty("remaining").GetInt32()));
        var sales = await (await owner.GetAsync($"/api/events/{ev.EventId}/sales")).ReadJsonAsync();
        Assert.Equal(0, sales.GetProperty("comps").GetArrayLength());
        Assert.True((await (await owner.GetAsync($"/api/events/{ev.EventId}/comps")).ReadJsonAsync()).GetProperty("items")[0].GetProperty("cancelled").GetBoolean());
        // No credit note for nothing; the guest (no account) is told, once.
        Assert.False(await QueryAsync(app, db => db.Receipts.AnyAsync(r => r.OrderId == orderId)));
        var told = await QueryAsync(app, db => db.Notifications.AsNoTracking()
            .Where(n => n.Kind == NotificationKind.OrderTicketsCancelled && n.Recipient == "press@example.com").ToListAsync());
        Assert.Single(told);
        await new NotificationTestData(app).DispatchAsync();
        Assert.Equal(NotificationStatus.Sent, (await new NotificationTestData(app).NotificationAsync(told[0].Id)).Status);

        // The quota given back can be issued again; the seats are on sale again.
        (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/comps", Comp(ev, 4))).EnsureSuccessStatusCode();
        Assert.Equal(4, (await CategoryAsync(app, ev.Categories[0].Id)).Sold);
    }

    [Fact]
    public async Task ACompWithAScannedTicket_IsNotCancelled_AnotherOrganizerGets403_AndAnotherEventsComp404()
    {
        var (ev, owner) = await EventWithQuotaAsync(capacity: 10, quota: 4);
        var comp = await (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/comps", Comp(ev, 2))).ReadJsonAsync(HttpStatusCode.Created);
        var compId = comp.GetProperty("id").GetGuid();
        var orderId = comp.GetProperty("orderId").GetGuid();
        var (otherEv, _) = await EventWithQuotaAsync(capacity: 10, quota: 4);
        var (other, _, _) = await app.CreateUserClientAsync(Roles.Organizer);

        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsync($"/api/events/{ev.EventId}/comps/{compId}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await owner.PostAsync($"/api/events/{ev.EventId}/comps/{Guid.NewGuid()}/cancel", null)).StatusCode);
        var admin = await app.AdminClientAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsync($"/api/events/{otherEv.EventId}/comps/{compId}/cancel", null)).StatusCode);

        // The guest came in with one of the two tickets.
        await QueryAsync(app, db => db.Tickets.Where(t => t.OrderId == orderId).OrderBy(t => t.Sequence).Take(1)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, Ticketing.Core.Tickets.TicketStatus.Used)));
        await (await owner.PostAsync($"/api/events/{ev.EventId}/comps/{compId}/cancel", null)).AssertProblemAsync(HttpStatusCode.Conflict, "ticket_used");
        Assert.Equal(2, (await CategoryAsync(app, ev.Categories[0].Id)).Sold);
        Assert.Equal(1, await QueryAsync(app, db => db.Tickets.CountAsync(t => t.OrderId == orderId && t.Status == Ticketing.Core.Tickets.TicketStatus.Valid)));
        Assert.Equal(2, await QueryAsync(app, db => db.CompQuotas.Where(q => q.CategoryId == ev.Categories[0].Id).Select(q => q.Issued).SingleAsync()));
    }

    [Fact]
    public async Task TheDashboardPages_RenderTheCompsAndTheTransferRule()
    {
        var (owner, ownerId, email) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Carré Or", 8000, 10).SaveAsync();
        (await owner.PutAsJsonAsync($"/api/events/{ev.EventId}/comp-quotas", new { performanceId = ev.PerformanceId, categoryId = ev.Categories[0].Id, quota = 5 })).EnsureSuccessStatusCode();
        (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/comps", Comp(ev, 2))).EnsureSuccessStatusCode();
        var cancelled = await (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/comps", Comp(ev, 1))).ReadJsonAsync(HttpStatusCode.Created);
        (await owner.PostAsync($"/api/events/{ev.EventId}/comps/{cancelled.GetProperty("id").GetGuid()}/cancel", null)).EnsureSuccessStatusCode();

        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var login = await browser.GetStringAsync("/account/login");
        var token = AntiforgeryInput().Match(login).Groups[1].Value;
        var signedIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token), ["Input.Email"] = email, ["Input.Password"] = TicketingApp.Password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);

        var comps = await browser.GetAsync($"/dashboard/events/{ev.EventId}/comps");
        var html = await comps.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, comps.StatusCode);
        Assert.Contains("Complimentary tickets", html);
        Assert.Contains("Claire Presse", html);
        // One comp still valid (a Cancel button), one cancelled (marked, no button).
        Assert.Single(Regex.Matches(html, "data-testid=\"comp-cancel\""));
        Assert.Single(Regex.Matches(html, "data-testid=\"comp-cancelled\""));
        var editor = await browser.GetStringAsync($"/dashboard/events/{ev.EventId}/edit");
        Assert.Contains("Ticket transfers", editor);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryInput();
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCompTests(SqliteApp app) : CompTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCompTests(PostgresApp app) : CompTests(app);
