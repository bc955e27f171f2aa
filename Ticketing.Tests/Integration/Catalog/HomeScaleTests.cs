using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Events;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Catalog;

/// <summary>
/// The home page with a big catalogue (issue 17): 500 published events in every event category, 50 different price
/// categories (one event sells all 50). The home renders bounded rows (each with "See all" to the paged search), its
/// menus are plain links in &lt;details&gt; (no circuit), and the pages it links to are paged too.
/// </summary>
public abstract class HomeScaleTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<Guid> SeedAsync(int events, int priceCategories)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
        var (_, ownerId, _) = await app.CreateUserClientAsync(Ticketing.Core.Accounts.Roles.Organizer);
        var now = app.Clock.GetUtcNow();
        var day0 = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var kinds = Enum.GetValues<EventCategory>();
        Guid widest = default;
        var batch = new List<Event>();
        for (var i = 0; i < events; i++)
        {
            var e = new Event
            {
                Id = Guid.CreateVersion7(), OwnerId = ownerId, Status = EventStatus.Published, CreatedAt = now, UpdatedAt = now, PublishedAt = now,
                Title = $"Scale Show {i:000}", Description = "A show among many.", Category = kinds[i % kinds.Length], IsFeatured = i % 50 == 0,
            };
            var p = new Performance { Id = Guid.CreateVersion7(), EventId = e.Id, StartsAt = day0.AddDays(1 + i % 90).AddHours(19), VenueName = "Hall", Address = "1 rue", Country = "FR" };
            p.SetCity($"City {i % 40}");
            p.TicketPrefix = Performance.MakeTicketPrefix(p.City, p.StartsAt, p.Id);
            var count = i == 0 ? priceCategories : 2 + i % 4;
            for (var c = 0; c < count; c++)
                p.Categories.Add(new PriceCategory
                {
                    Id = Guid.CreateVersion7(), PerformanceId = p.Id, Name = $"Zone {(i + c) % priceCategories:00}", PriceMinor = 1000 + 100 * c,
                    Currency = "EUR", Capacity = 100, SortOrder = c,
                });
            e.Performances.Add(p);
            e.RefreshSearchText();
            if (i == 0) widest = e.Id;
            batch.Add(e);
        }
        db.Events.AddRange(batch);
        await db.SaveChangesAsync();
        return widest;
    }

    [Fact]
    public async Task Home_With500EventsAnd50PriceCategories_RendersBoundedRows_WithWorkingMenusAndPagedSearch()
    {
        var widest = await SeedAsync(500, 50);
        var client = app.CreateClient();

        var home = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        var html = await home.Content.ReadAsStringAsync();
        var cards = Regex.Matches(html, "data-testid=\"event-card\"").Count;
        Assert.InRange(cards, 12, 12 * 11 + 6);      // rows of at most 12 cards, never the whole catalogue
        // Each event once: this week's shows are also coming up and in their category's row, but only their first row shows them.
        var links = Regex.Matches(html, "data-testid=\"event-card\"[^>]*>\\s*<a class=\"tk-card-link\" href=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(cards, links.Count);
        Assert.Empty(links.GroupBy(l => l).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.True(html.Length < 600_000, $"home is {html.Length} characters");
        foreach (var kind in Enum.GetValues<EventCategory>())
            Assert.Contains($"href=\"/search?category={kind}\"", html);  // each category row's "See all" and the menus
        // The menus are <details> with plain links: they open without a circuit.
        Assert.Contains("<details class=\"tk-burger tk-menu\"", html);
        Assert.Matches("<nav class=\"tk-menu-panel tk-drawer\"[^>]*>\\s*<a href=\"/\">", html);
        Assert.Contains("data-blazor-render=\"static\"", html);

        // "See all" leads to paged results.
        var search = await client.GetStringAsync("/search?category=Concert");
        Assert.Equal(12, Regex.Matches(search, "data-testid=\"event-card\"").Count);
        Assert.Contains("rel=\"next\"", search);
        var last = await client.GetStringAsync("/search?category=Concert&page=6");
        Assert.InRange(Regex.Matches(last, "data-testid=\"event-card\"").Count, 1, 12);

        // The event with 50 price categories renders them all.
        var page = await client.GetStringAsync($"/events/{widest}");
        Assert.Equal(50, Regex.Matches(page, "Zone \\d\\d ").Count);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteHomeScaleTests(SqliteApp app) : HomeScaleTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresHomeScaleTests(PostgresApp app) : HomeScaleTests(app);
