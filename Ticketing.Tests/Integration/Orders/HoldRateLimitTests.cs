using System.Net;
using System.Net.Http.Json;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Orders;

public sealed class HoldRateLimitedApp : TicketingApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["RateLimiting:HoldsPerMinute"] = "3" };
}

/// <summary>The limiter of <c>POST /api/orders</c> counts per account (in memory: the same on every database).</summary>
public sealed class HoldRateLimitTests(HoldRateLimitedApp app) : IClassFixture<HoldRateLimitedApp>
{
    [Fact]
    public async Task AnAccountPastItsHoldsPerMinute_Gets429RateLimited_WhileAnotherAccountStillHolds()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 50).SaveAsync();
        var (eager, _, _) = await app.CreateUserClientAsync();
        var (other, _, _) = await app.CreateUserClientAsync();

        for (var i = 0; i < 3; i++) await HoldAsync(eager, ev, 1);
        var limited = await eager.PostAsJsonAsync("/api/orders", Hold(ev, 1));

        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        await HoldAsync(other, ev, 1);
        Assert.Equal((0, 4), (await CategoryAsync(app, ev.Categories[0].Id)) is var c ? (c.Sold, c.Held) : default);
    }
}
