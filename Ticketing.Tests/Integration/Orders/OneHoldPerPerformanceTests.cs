using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Orders;

public sealed class OneHoldSqliteApp : TicketingApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Orders:OneHoldPerPerformance"] = "true" };
}

public sealed class OneHoldPostgresApp : TicketingApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["Orders:OneHoldPerPerformance"] = "true" };
}

/// <summary>
/// Issue 18, item 3: one running hold per account and date (<c>Orders:OneHoldPerPerformance</c>, the default). A second
/// hold answers 409 hold_already_active with the running order's id; it is decided inside the hold's transaction, so
/// parallel requests from one account get exactly one hold.
/// </summary>
public abstract class OneHoldPerPerformanceTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ASecondHoldOfTheSameDate_WhileTheFirstRuns_Answers409HoldAlreadyActive_WithTheRunningOrderId()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 100).WithCategory("Balcon", 2900, 100).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();

        var first = (await HoldAsync(client, ev, 2)).GetProperty("id").GetGuid();
        var second = await (await client.PostAsJsonAsync("/api/orders", Hold(ev, 1, category: 1)))
            .AssertProblemAsync(HttpStatusCode.Conflict, "hold_already_active");

        Assert.Equal(first, second.GetProperty("orderId").GetGuid());
        Assert.Equal((0, 2), Counters(await CategoryAsync(app, ev.Categories[0].Id)));
        Assert.Equal((0, 0), Counters(await CategoryAsync(app, ev.Categories[1].Id)));
        // Another account is not concerned.
        var (other, _, _) = await app.CreateUserClientAsync();
        await HoldAsync(other, ev, 1);
    }

    [Fact]
    public async Task OnceTheHoldIsReleasedOrHasRunOut_OrPaid_TheSameAccountHoldsTheDateAgain()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 100).SaveAsync();
        var (client, _, _) = await app.CreateUserClientAsync();

        var first = (await HoldAsync(client, ev, 1)).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/orders/{first}")).StatusCode);
        var second = (await HoldAsync(client, ev, 1)).GetProperty("id").GetGuid();

        // Past its expiry (the expiry job has not run yet): it no longer runs.
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        var third = (await HoldAsync(client, ev, 1)).GetProperty("id").GetGuid();
        (await client.PostAsJsonAsync($"/api/orders/{third}/payment", Card())).EnsureSuccessStatusCode();
        await HoldAsync(client, ev, 1);
        Assert.NotEqual(second, third);
    }

    [Fact]
    public async Task TwelveParallelHoldsOfOneDateFromOneAccount_HoldExactlyOne_AndTheOthersPointToIt()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 100).SaveAsync();
        var (client, userId, _) = await app.CreateUserClientAsync();

        using var start = new SemaphoreSlim(0);
        var running = Enumerable.Range(0, 12).Select(_ => Task.Run(async () =>
        {
            await start.WaitAsync();
            var response = await client.PostAsJsonAsync("/api/orders", Hold(ev, 1));
            return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        })).ToList();
        start.Release(12);
        var answers = await Task.WhenAll(running);

        var held = Assert.Single(answers, a => a.Item1 == 201).Item2.GetProperty("id").GetGuid();
        Assert.All(answers.Where(a => a.Item1 != 201), a =>
        {
            Assert.Equal(409, a.Item1);
            Assert.Equal("hold_already_active", a.Item2.GetProperty("code").GetString());
            Assert.Equal(held, a.Item2.GetProperty("orderId").GetGuid());
        });
        Assert.Equal((0, 1), Counters(await CategoryAsync(app, ev.Categories[0].Id)));
        Assert.Equal(1, await QueryAsync(app, db => db.Orders.CountAsync(o => o.UserId == userId && o.Status == OrderStatus.Reserved)));
    }

    private static (int Sold, int Held) Counters(Ticketing.Core.Events.PriceCategory c) => (c.Sold, c.Held);
}

public sealed class SqliteOneHoldPerPerformanceTests(OneHoldSqliteApp app) : OneHoldPerPerformanceTests(app), IClassFixture<OneHoldSqliteApp>;

public sealed class PostgresOneHoldPerPerformanceTests(OneHoldPostgresApp app) : OneHoldPerPerformanceTests(app), IClassFixture<OneHoldPostgresApp>;
