using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ticketing.Core.Events;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Orders;

/// <summary>
/// What holds remember about a performance (<see cref="OnSaleCache"/>), on the real database: a change written by
/// another instance is seen once the lifetime is over (here: never within a minute, then at once after a local change),
/// and a lifetime of 0 reads every time.
/// </summary>
public abstract class OnSaleCacheTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private OnSaleCache NewCache(int lifetimeMs) => new(
        app.Services.GetRequiredService<IDbContextFactory<TicketingDbContext>>(),
        Options.Create(new OrderOptions { OnSaleCacheMilliseconds = lifetimeMs }));

    [Fact]
    public async Task AChangeByAnotherInstance_IsSeenAfterTheLifetime_OrAtOnceAfterALocalChange()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 10).SaveAsync();
        var cache = NewCache(60_000);

        var first = await cache.GetAsync(ev.PerformanceId, CancellationToken.None);
        Assert.Equal(EventStatus.Published, first!.Event!.Status);
        Assert.Equal(3900, first.Categories.Single().PriceMinor);
        Assert.Equal(0, first.Categories.Single().Capacity); // never the counters: the database decides seats
        Assert.Null(await cache.GetAsync(Guid.CreateVersion7(), CancellationToken.None));

        await ChangeBehindTheCacheAsync(ev, 4500, EventStatus.Cancelled);
        var remembered = await cache.GetAsync(ev.PerformanceId, CancellationToken.None);
        Assert.Same(first, remembered);

        cache.Invalidate();
        var fresh = await cache.GetAsync(ev.PerformanceId, CancellationToken.None);
        Assert.Equal(EventStatus.Cancelled, fresh!.Event!.Status);
        Assert.Equal(4500, fresh.Categories.Single().PriceMinor);
    }

    [Fact]
    public async Task ALifetimeOfZero_ReadsEveryTime()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 10).SaveAsync();
        var cache = NewCache(0);
        Assert.Equal(3900, (await cache.GetAsync(ev.PerformanceId, CancellationToken.None))!.Categories.Single().PriceMinor);
        await ChangeBehindTheCacheAsync(ev, 4500, EventStatus.Published);
        Assert.Equal(4500, (await cache.GetAsync(ev.PerformanceId, CancellationToken.None))!.Categories.Single().PriceMinor);
    }

    [Fact]
    public async Task ConcurrentHolds_AllGetTheOneRememberedPerformance()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 10).SaveAsync();
        var cache = NewCache(60_000);
        var answers = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => cache.GetAsync(ev.PerformanceId, CancellationToken.None))));
        Assert.Single(answers.Distinct());
    }

    /// <summary>What another instance's edit looks like from here: rows changed without this process knowing.</summary>
    private Task ChangeBehindTheCacheAsync(TestEvent ev, long priceMinor, EventStatus status) =>
        QueryAsync(app, async db =>
        {
            await db.PriceCategories.Where(c => c.PerformanceId == ev.PerformanceId).ExecuteUpdateAsync(s => s.SetProperty(c => c.PriceMinor, priceMinor));
            return await db.Events.Where(e => e.Id == ev.EventId).ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, status));
        });
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteOnSaleCacheTests(SqliteApp app) : OnSaleCacheTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresOnSaleCacheTests(PostgresApp app) : OnSaleCacheTests(app);
