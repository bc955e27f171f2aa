using Ticketing.Core.Accounts;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Security;

/// <summary><c>/health</c>: the status for anybody, each check's details for Admins only.</summary>
public abstract class HealthDetailsTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Health_GivesAnonymousCallersAndNonAdminsTheStatusOnly_AndAdminsEveryCheck()
    {
        var (organizer, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        foreach (var client in new[] { app.CreateClient(), organizer })
        {
            var health = await (await client.GetAsync("/health")).ReadJsonAsync();
            Assert.Equal("Healthy", health.GetProperty("status").GetString());
            Assert.Equal(["status"], health.EnumerateObject().Select(p => p.Name));
        }

        var detailed = await (await (await app.AdminClientAsync()).GetAsync("/health")).ReadJsonAsync();
        Assert.Equal("Healthy", detailed.GetProperty("status").GetString());
        var checks = detailed.GetProperty("checks");
        Assert.Equal(app.Provider.ToString(), checks.GetProperty("database").GetProperty("description").GetString());
        Assert.True(checks.TryGetProperty("backups", out _));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class HealthDetailsTests_Sqlite(SqliteApp app) : HealthDetailsTests(app);

[Collection(PostgresCollection.Name)]
public sealed class HealthDetailsTests_Postgres(PostgresApp app) : HealthDetailsTests(app);
