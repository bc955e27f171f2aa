using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Security;

/// <summary>Unique-key conflicts the app expects and handles (registration races, idempotency key races) are not logged as errors.</summary>
public abstract class ExpectedConflictLoggingTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task RegistrationAndIdempotencyKeyRaces_LogNothingAtErrorLevel()
    {
        var logs = new CapturingLoggerProvider();
        await using var logged = app.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(logs)));
        var client = logged.CreateClient();

        var registrations = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            client.PostAsJsonAsync("/api/auth/register", new { email = "race-log@example.com", password = TicketingApp.Password, displayName = "Race" })));
        Assert.Equal(1, registrations.Count(r => r.StatusCode == HttpStatusCode.Created));

        var ev = await Event(app).WithCategory("Fosse", 3900, 50).SaveAsync();
        var (buyer, _, _) = await app.CreateUserClientAsync();
        var buyerOnLogged = logged.CreateClient();
        buyerOnLogged.DefaultRequestHeaders.Authorization = buyer.DefaultRequestHeaders.Authorization;
        var holds = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(Hold(ev, 1)) };
            request.Headers.Add("Idempotency-Key", "same-key");
            return buyerOnLogged.SendAsync(request);
        }));
        Assert.All(holds, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));

        var errors = logs.Entries.Where(e => e.Level >= LogLevel.Error).Select(e => $"{e.Category}: {e.Message}").ToList();
        Assert.Empty(errors);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class ExpectedConflictLoggingTests_Sqlite(SqliteApp app) : ExpectedConflictLoggingTests(app);

[Collection(PostgresCollection.Name)]
public sealed class ExpectedConflictLoggingTests_Postgres(PostgresApp app) : ExpectedConflictLoggingTests(app);
