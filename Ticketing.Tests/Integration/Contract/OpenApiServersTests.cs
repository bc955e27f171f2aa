using Microsoft.AspNetCore.Hosting;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Contract;

/// <summary>The document's <c>servers</c> entry is the address the caller used: behind a proxy, the forwarded one.</summary>
public abstract class OpenApiServersTests(TicketingApp app)
{
    [Fact]
    public async Task TheServersEntry_IsTheHostTheCallerReached()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Host = "box-office.ticketing.test:8443";

        var doc = await (await client.GetAsync("/swagger/v1/swagger.json")).ReadJsonAsync();

        Assert.Equal("http://box-office.ticketing.test:8443", Assert.Single(doc.GetProperty("servers").EnumerateArray()).GetProperty("url").GetString());
    }

    [Fact]
    public async Task BehindAProxy_TheServersEntryIsTheForwardedSchemeAndHost()
    {
        await using var proxied = app.WithWebHostBuilder(b => b.UseSetting("Hosting:ForwardedHeaders", "true"));
        var client = proxied.CreateClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        client.DefaultRequestHeaders.Add("X-Forwarded-Host", "tickets.ticketing.test");
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.7");

        var doc = await (await client.GetAsync("/swagger/v1/swagger.json")).ReadJsonAsync();

        Assert.Equal("https://tickets.ticketing.test", Assert.Single(doc.GetProperty("servers").EnumerateArray()).GetProperty("url").GetString());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteOpenApiServersTests(SqliteApp app) : OpenApiServersTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresOpenApiServersTests(PostgresApp app) : OpenApiServersTests(app);
