using System.Net;
using System.Net.Http.Json;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Accounts;

/// <summary>Issue 18, item 10: French national phone numbers are accepted and stored as E.164.</summary>
public abstract class PhoneNumberTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ANationalFrenchNumber_IsAccepted_AndStoredAsE164_AGarbageOneIsRefused()
    {
        var (client, _, _) = await app.CreateUserClientAsync();

        var updated = await (await client.PutAsJsonAsync("/api/me", new { displayName = "Léa", phoneNumber = "06 12 34 56 78" })).ReadJsonAsync();
        Assert.Equal("+33612345678", updated.GetProperty("phoneNumber").GetString());
        var international = await (await client.PutAsJsonAsync("/api/me", new { displayName = "Léa", phoneNumber = "+44 20 7946 0958" })).ReadJsonAsync();
        Assert.Equal("+442079460958", international.GetProperty("phoneNumber").GetString());
        await (await client.PutAsJsonAsync("/api/me", new { displayName = "Léa", phoneNumber = "06 12" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqlitePhoneNumberTests(SqliteApp app) : PhoneNumberTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresPhoneNumberTests(PostgresApp app) : PhoneNumberTests(app);
