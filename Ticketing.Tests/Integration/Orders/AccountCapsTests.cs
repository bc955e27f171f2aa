using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Accounts;
using Ticketing.Core.Orders;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Orders;

/// <summary>
/// One account cannot take the inventory: the per-account caps (tickets of an event, of one price category, open
/// holds) are decided inside the hold's transaction, so parallel holds from one account stop exactly at the cap, and
/// what the account gives back (a release, an expiry, a refund) comes back to its allowance.
/// </summary>
public abstract class AccountCapsTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<(int Status, string? Code)> AnswerAsync(HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status == 201) return (status, null);
        var body = await response.Content.ReadAsStringAsync();
        return (status, JsonDocument.Parse(body).RootElement.TryGetProperty("code", out var c) ? c.GetString() : body);
    }

    private static async Task<(int Status, string? Code)[]> ParallelHoldsAsync(HttpClient client, TestEvent ev, int holds, int quantity, int category = 0)
    {
        using var start = new SemaphoreSlim(0);
        var running = Enumerable.Range(0, holds).Select(_ => Task.Run(async () =>
        {
            await start.WaitAsync();
            return await AnswerAsync(await client.PostAsJsonAsync("/api/orders", Hold(ev, quantity, category)));
        })).ToList();
        start.Release(holds);
        return await Task.WhenAll(running);
    }

    [Fact]
    public async Task TwentyFiveParallelHoldsOfTwoFromOneAccount_WithACapOfTwenty_HoldExactlyTen_AndRefuseTheRestWith409AccountLimitExceeded()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 100).WithMaxTicketsPerOrder(10).WithMaxTicketsPerAccount(20, 20).SaveAsync();
        var (client, userId, _) = await app.CreateUserClientAsync();

        var answers = await ParallelHoldsAsync(client, ev, 25, 2);

        Assert.DoesNotContain(answers, a => a.Status >= 500);
        Assert.Equal(10, answers.Count(a => a.Status == 201));
        Assert.All(answers.Where(a => a.Status != 201), a => Assert.Equal((409, "account_limit_exceeded"), a));
        var category = await CategoryAsync(app, ev.Categories[0].Id);
        Assert.Equal((0, 20), (category.Sold, category.Held));
        var held = await QueryAsync(app, db => db.Orders.Where(o => o.UserId == userId && o.Status == OrderStatus.Reserved)
            .SelectMany(o => o.Items).SumAsync(i => i.Quantity));
        Assert.Equal(20, held);
    }

    [Fact]
    public async Task FifteenParallelHoldsOfOneFromOneAccount_StopAtTheTenOpenHoldsAnAccountMayHave()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 100).WithMaxTicketsPerAccount(100, 100).SaveAsync();
        var (client, userId, _) = await app.CreateUserClientAsync();

        var answers = await ParallelHoldsAsync(client, ev, 15, 1);

        Assert.Equal(10, answers.Count(a => a.Status == 201));
        Assert.All(answers.Where(a => a.Status != 201), a => Assert.Equal((409, "account_limit_exceeded"), a));
        Assert.Equal((0, 10), Counters(await CategoryAsync(app, ev.Categories[0].Id)));
        Assert.Equal(10, await QueryAsync(app, db => db.Orders.CountAsync(o => o.UserId == userId && o.Status == OrderStatus.Reserved)));
    }

    [Fact]
    public async Task WithThePlatformDefaults_AnAccountGetsFifteenTicketsOfOneCategory_AndTwentyOfTheEvent_OtherAccountsAreNotConcerned()
    {
        var ev = await Event(app).WithCategory("Carré Or", 9000, 100).WithCategory("Fosse", 4500, 100).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();

        await HoldAsync(client, ev, 10);
        await HoldAsync(client, ev, 5);
        var sixteenth = await (await client.PostAsJsonAsync("/api/orders", Hold(ev, 1))).AssertProblemAsync(HttpStatusCode.Conflict, "account_limit_exceeded");
        Assert.Equal(15, sixteenth.GetProperty("maxTicketsPerAccountPerCategory").GetInt32());
        Assert.Equal(20, sixteenth.GetProperty("maxTicketsPerAccount").GetInt32());
        await HoldAsync(client, ev, 5, category: 1);
        await (await client.PostAsJsonAsync("/api/orders", Hold(ev, 1, category: 1))).AssertProblemAsync(HttpStatusCode.Conflict, "account_limit_exceeded");
        // Another account has its own allowance.
        var (other, _, _) = await app.CreateUserClientAsync();
        var many = new { performanceId = ev.PerformanceId, items = new[] { new { categoryId = ev.Categories[0].Id, quantity = 5 }, new { categoryId = ev.Categories[1].Id, quantity = 5 } } };
        Assert.Equal(HttpStatusCode.Created, (await other.PostAsJsonAsync("/api/orders", many)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await other.PostAsJsonAsync("/api/orders", many)).StatusCode);
        await (await other.PostAsJsonAsync("/api/orders", many)).AssertProblemAsync(HttpStatusCode.Conflict, "account_limit_exceeded");

        Assert.Equal((0, 25), Counters(await CategoryAsync(app, ev.Categories[0].Id)));
        Assert.Equal((0, 15), Counters(await CategoryAsync(app, ev.Categories[1].Id)));
    }

    [Fact]
    public async Task TheAllowanceComesBack_WhenAHoldIsReleasedOrExpires_AndWhenAPaidOrderIsRefunded_ButPaidTicketsCount()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 3900, 50).WithMaxTicketsPerAccount(4).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();
        async Task Refused() =>
            await (await client.PostAsJsonAsync("/api/orders", Hold(ev, 1))).AssertProblemAsync(HttpStatusCode.Conflict, "account_limit_exceeded");

        var first = (await HoldAsync(client, ev, 2)).GetProperty("id").GetGuid();
        var second = (await HoldAsync(client, ev, 2)).GetProperty("id").GetGuid();
        await Refused();

        // Released: its two seats come back to the account.
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/orders/{first}")).StatusCode);
        await HoldAsync(client, ev, 2);
        await Refused();

        // Paid tickets count as much as held ones.
        (await client.PostAsJsonAsync($"/api/orders/{second}/payment", Card())).EnsureSuccessStatusCode();
        await Refused();

        // Expired: back to the account.
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.Equal(1, await WithServiceAsync<OrderService, int>(app, s => s.ExpireHoldsAsync(app.Clock.GetUtcNow())));
        await HoldAsync(client, ev, 2);
        await Refused();

        // Refunded: back to the account.
        (await owner.PostAsync($"/api/orders/{second}/refund", null)).EnsureSuccessStatusCode();
        await HoldAsync(client, ev, 2);
        await Refused();
        Assert.Equal((0, 4), Counters(await CategoryAsync(app, ev.Categories[0].Id)));
    }

    [Fact]
    public async Task TenHoldTransactionsOfOneAccountRunningAtOnce_OnTwoPerformances_NeverTakeMoreThanItsCap()
    {
        // Two performances of one event (their holds may run in different lanes or on different instances): each
        // transaction below runs on its own, at the same moment, as two instances' batches would.
        var first = await Event(app).WithCategory("Fosse", 3900, 100).SaveAsync();
        var (_, userId, _) = await app.CreateUserClientAsync();
        var caps = new AccountCaps(20, 20, 100);
        var committer = app.Services.GetRequiredService<HoldCommitter>();
        var now = app.Clock.GetUtcNow();
        var second = await SecondPerformanceAsync(first);
        HoldRequest Hold4(TestEvent ev, Guid performanceId, Guid categoryId) => new(new Order
        {
            Id = Guid.CreateVersion7(), UserId = userId, EventId = ev.EventId, PerformanceId = performanceId, Status = OrderStatus.Reserved,
            Currency = "EUR", CreatedAt = now, ExpiresAt = now.AddMinutes(10), TotalMinor = 4 * 3900,
            Items = [new OrderItem { Id = Guid.CreateVersion7(), CategoryId = categoryId, CategoryName = "Fosse", Quantity = 4, UnitPriceMinor = 3900 }],
        }, caps);

        using var start = new SemaphoreSlim(0);
        var running = Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            await start.WaitAsync();
            var hold = i % 2 == 0 ? Hold4(first, first.PerformanceId, first.Categories[0].Id) : Hold4(first, second.PerformanceId, second.CategoryId);
            return (await committer.RunBatchAsync([hold])).Single();
        })).ToList();
        start.Release(10);
        var outcomes = await Task.WhenAll(running);

        Assert.Equal(5, outcomes.Count(o => o.Held));
        Assert.All(outcomes.Where(o => !o.Held), o => Assert.True(o.AccountLimit));
        var held = await QueryAsync(app, db => db.Orders.Where(o => o.UserId == userId).SelectMany(o => o.Items).SumAsync(i => i.Quantity));
        Assert.Equal(20, held);
        var counters = await QueryAsync(app, db => db.PriceCategories.Where(c => c.Id == first.Categories[0].Id || c.Id == second.CategoryId).SumAsync(c => c.Held));
        Assert.Equal(20, counters);
    }

    /// <summary>Adds a second performance (one category, 100 seats) to the event.</summary>
    private async Task<(Guid PerformanceId, Guid CategoryId)> SecondPerformanceAsync(TestEvent ev)
    {
        var performanceId = Guid.CreateVersion7();
        var categoryId = Guid.CreateVersion7();
        await QueryAsync(app, async db =>
        {
            var startsAt = app.Clock.GetUtcNow().AddDays(31);
            db.Performances.Add(new Ticketing.Core.Events.Performance
            {
                Id = performanceId, EventId = ev.EventId, StartsAt = startsAt, VenueName = "Salle Pleyel", City = "Paris", Address = "1 rue",
                TicketPrefix = Ticketing.Core.Events.Performance.MakeTicketPrefix("Paris", startsAt, performanceId),
                Categories = [new Ticketing.Core.Events.PriceCategory { Id = categoryId, PerformanceId = performanceId, Name = "Fosse", PriceMinor = 3900, Capacity = 100 }],
            });
            return await db.SaveChangesAsync();
        });
        return (performanceId, categoryId);
    }

    private static (int Sold, int Held) Counters(Ticketing.Core.Events.PriceCategory c) => (c.Sold, c.Held);
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteAccountCapsTests(SqliteApp app) : AccountCapsTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAccountCapsTests(PostgresApp app) : AccountCapsTests(app);
