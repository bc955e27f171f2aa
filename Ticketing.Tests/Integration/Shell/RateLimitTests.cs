using System.Net;
using System.Net.Http.Json;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Shell;

public sealed class RateLimitedApp : TicketingApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["RateLimiting:AuthPerMinute"] = "3" };
}

public sealed class RateLimitTests(RateLimitedApp app) : IClassFixture<RateLimitedApp>
{
    [Fact]
    public async Task TokenEndpoint_Answers429ProblemDetailsPastTheLimit()
    {
        var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized,
                (await client.PostAsJsonAsync("/api/auth/token", new { email = "x@example.com", password = "Wrong1234" })).StatusCode);
        var limited = await client.PostAsJsonAsync("/api/auth/token", new { email = "x@example.com", password = "Wrong1234" });
        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.True(limited.Headers.Contains("Retry-After"));
    }
}
