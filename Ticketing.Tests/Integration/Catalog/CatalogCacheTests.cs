using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Accounts;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Catalog;

/// <summary>
/// The output cache of the catalogue (issue 17): anonymous pages and API answers come from the cache until an event
/// changes on this instance; signed-in callers are never served it; the live availability endpoint and its badges.
/// </summary>
public abstract class CatalogCacheTests(TicketingApp app) : IAsyncLifetime
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private WebApplicationFactory<Program> Cached() => app.WithWebHostBuilder(b => b
        .UseSetting("OutputCache:Enabled", "true")
        .UseSetting("OutputCache:PageSeconds", "600")
        .UseSetting("OutputCache:ApiSeconds", "600")
        .UseSetting("OutputCache:AvailabilitySeconds", "600"));

    private async Task<HttpClient> OrganizerAsync(WebApplicationFactory<Program> cached)
    {
        var (_, _, email) = await app.CreateUserClientAsync(Roles.Organizer);
        var client = cached.CreateClient();
        var token = await (await client.PostAsJsonAsync("/api/auth/token", new { email, password = TicketingApp.Password })).Content.ReadFromJsonAsync<JsonElement>(Json);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.GetProperty("accessToken").GetString());
        return client;
    }

    private async Task<(Guid EventId, Guid PerformanceId, Guid CategoryId)> PublishAsync(HttpClient organizer, string title, int capacity = 200)
    {
        var startsAt = new DateTimeOffset(app.Clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(20).AddHours(19);
        var created = await organizer.PostAsJsonAsync("/api/events", new
        {
            title, description = "A show.", category = "Concert", maxTicketsPerOrder = 8,
            performances = new[] { new { startsAt, venue = new { name = "Zénith", city = "Lyon", address = "1 rue" }, categories = new[] { new { name = "Cat 1", price = 40m, capacity } } } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>(Json);
        var id = body.GetProperty("id").GetGuid();
        (await organizer.PostAsync($"/api/events/{id}/publish", null)).EnsureSuccessStatusCode();
        var performance = body.GetProperty("performances")[0];
        return (id, performance.GetProperty("id").GetGuid(), performance.GetProperty("categories")[0].GetProperty("id").GetGuid());
    }

    private async Task RenameInDatabaseAsync(Guid eventId, string title)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
        await db.Events.Where(e => e.Id == eventId).ExecuteUpdateAsync(s => s.SetProperty(e => e.Title, title));
    }

    private async Task SetCountersAsync(Guid categoryId, int sold, int held)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
        await db.PriceCategories.Where(c => c.Id == categoryId).ExecuteUpdateAsync(s => s.SetProperty(c => c.Sold, sold).SetProperty(c => c.Held, held));
    }

    [Fact]
    public async Task CatalogApi_ForAnonymousCallers_IsServedFromTheCache_UntilAnEventChangesOnThisInstance()
    {
        await using var cached = Cached();
        var organizer = await OrganizerAsync(cached);
        var (id, _, _) = await PublishAsync(organizer, "Cached Original");
        var anonymous = cached.CreateClient();

        Assert.Contains("Cached Original", await anonymous.GetStringAsync($"/api/events/{id}"));
        Assert.Contains("Cached Original", await anonymous.GetStringAsync("/api/events?pageSize=20"));
        await RenameInDatabaseAsync(id, "Renamed Behind The Cache");

        // Cached: the anonymous answers still say the old title; a signed-in caller is never served the cache.
        Assert.Contains("Cached Original", await anonymous.GetStringAsync($"/api/events/{id}"));
        Assert.Contains("Cached Original", await anonymous.GetStringAsync("/api/events?pageSize=20"));
        Assert.Contains("Renamed Behind The Cache", await organizer.GetStringAsync($"/api/events/{id}"));

        // Another event published on this instance evicts the catalogue at once.
        await PublishAsync(organizer, "Second Show");
        Assert.Contains("Renamed Behind The Cache", await anonymous.GetStringAsync($"/api/events/{id}"));
        var list = await anonymous.GetStringAsync("/api/events?pageSize=20");
        Assert.Contains("Renamed Behind The Cache", list);
        Assert.Contains("Second Show", list);
    }

    [Fact]
    public async Task EventPage_ForAnonymousVisitors_IsCachedWithItsCspAndNoCookie_AndEvictedWhenAnEventChanges()
    {
        await using var cached = Cached();
        var organizer = await OrganizerAsync(cached);
        var (id, _, _) = await PublishAsync(organizer, "Page Original");
        var anonymous = cached.CreateClient(new WebApplicationFactoryClientOptions { HandleCookies = false });

        var first = await anonymous.GetAsync($"/events/{id}");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains("Page Original", await first.Content.ReadAsStringAsync());
        Assert.Contains("Page Original", await anonymous.GetStringAsync("/"));
        await RenameInDatabaseAsync(id, "Page Renamed");

        var second = await anonymous.GetAsync($"/events/{id}");
        var html = await second.Content.ReadAsStringAsync();
        Assert.Contains("Page Original", html);
        // No visitor receives another's antiforgery cookie; the page's nonce is the one of its CSP header.
        Assert.False(second.Headers.Contains("Set-Cookie"));
        var csp = string.Join(";", second.Headers.GetValues("Content-Security-Policy"));
        var nonce = Regex.Match(csp, "'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Contains($"nonce=\"{nonce}\"", WebUtility.HtmlDecode(html));
        Assert.Contains("Page Original", await anonymous.GetStringAsync("/"));

        // French visitors get their own copy.
        using var fr = new HttpRequestMessage(HttpMethod.Get, $"/events/{id}");
        fr.Headers.Add("Cookie", ".AspNetCore.Culture=c%3Dfr%7Cuic%3Dfr");
        var french = await (await anonymous.SendAsync(fr)).Content.ReadAsStringAsync();
        Assert.Contains("lang=\"fr\"", french);

        await PublishAsync(organizer, "Evicting Show");
        Assert.Contains("Page Renamed", await anonymous.GetStringAsync($"/events/{id}"));
        Assert.Contains("Page Renamed", await anonymous.GetStringAsync("/"));
    }

    [Fact]
    public async Task Availability_SaysLastSeatsAllHeldAndSoldOut_AndIsCached()
    {
        await using var cached = Cached();
        var organizer = await OrganizerAsync(cached);
        var (_, performanceId, categoryId) = await PublishAsync(organizer, "Availability Show", capacity: 100);
        var anonymous = cached.CreateClient();

        async Task<JsonElement> GetAsync(WebApplicationFactory<Program> factory) =>
            await factory.CreateClient().GetFromJsonAsync<JsonElement>($"/api/performances/{performanceId}/availability", Json);

        var fresh = await GetAsync(cached);
        Assert.Equal("Available", fresh.GetProperty("state").GetString());
        Assert.Equal(100, fresh.GetProperty("available").GetInt32());
        Assert.Equal(categoryId, fresh.GetProperty("categories")[0].GetProperty("id").GetGuid());

        // Nothing free, but 30 seats only held by other fans: "all seats are being booked", not sold out.
        await SetCountersAsync(categoryId, sold: 70, held: 30);
        Assert.Equal("Available", (await GetAsync(cached)).GetProperty("state").GetString()); // cached
        Assert.Equal("AllHeld", (await GetAsync(app)).GetProperty("state").GetString());       // the uncached instance
        await SetCountersAsync(categoryId, sold: 90, held: 0);
        Assert.Equal("LastSeats", (await GetAsync(app)).GetProperty("state").GetString());
        await SetCountersAsync(categoryId, sold: 100, held: 0);
        var soldOut = await GetAsync(app);
        Assert.Equal("SoldOut", soldOut.GetProperty("state").GetString());
        Assert.Equal("SoldOut", soldOut.GetProperty("categories")[0].GetProperty("state").GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/performances/{Guid.NewGuid()}/availability")).StatusCode);
    }

    [Fact]
    public async Task EventPage_WhenOthersHoldTheLastSeats_SaysTheyAreBeingBooked_NotSoldOut()
    {
        var organizer = (await app.CreateUserClientAsync(Roles.Organizer)).Client;
        var (id, _, categoryId) = await PublishAsync(organizer, "Held Show", capacity: 10);
        await SetCountersAsync(categoryId, sold: 6, held: 4);
        var html = await app.CreateClient().GetStringAsync($"/events/{id}");
        Assert.Contains("All seats are being booked", html);
        Assert.Contains("tk-badge-held", html);
        Assert.DoesNotContain("tk-badge-soldout", html);

        await SetCountersAsync(categoryId, sold: 10, held: 0);
        html = await app.CreateClient().GetStringAsync($"/events/{id}");
        Assert.Contains("tk-badge-soldout", html);
        Assert.DoesNotContain("tk-badge-held", html);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteCatalogCacheTests(SqliteApp app) : CatalogCacheTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresCatalogCacheTests(PostgresApp app) : CatalogCacheTests(app);
