using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Accounts;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Events;

/// <summary>One currency per event, from the ISO 4217 list, with no more decimals than the currency has.</summary>
public abstract class EventCurrencyTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private object Body(params (string? Currency, decimal Price)[] categories) => new
    {
        title = "Kabuki night", description = "A show.", category = "Theatre",
        performances = new[]
        {
            new
            {
                startsAt = app.Clock.GetUtcNow().AddDays(20), venue = new { name = "Salle Pleyel", city = "Paris", address = "1 rue" },
                categories = categories.Select((c, i) => new { name = $"Cat {i + 1}", price = c.Price, currency = c.Currency, capacity = 10 }).ToArray(),
            },
        },
    };

    private async Task<int> EventCountAsync() => await PurchaseTestData.QueryAsync(app, db => db.Events.CountAsync());

    [Theory]
    [InlineData("XYZ")]
    [InlineData("FRF")]
    [InlineData("eu")]
    [InlineData("€")]
    public async Task ACurrencyOutsideTheIso4217List_IsRefusedWith400UnsupportedCurrency_AndNothingIsCreated(string currency)
    {
        var (organizer, _, _) = await app.CreateUserClientAsync(Roles.Organizer);

        var problem = await (await organizer.PostAsJsonAsync("/api/events", Body(("EUR", 10m), (currency, 20m))))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "unsupported_currency");

        Assert.Equal("performances[0].categories[1].currency", problem.GetProperty("field").GetString());
        Assert.Equal(0, await EventCountAsync());
    }

    [Fact]
    public async Task TwoCurrenciesInOneEvent_AreRefused_AndOneSharedCurrencyIsAccepted()
    {
        var (organizer, _, _) = await app.CreateUserClientAsync(Roles.Organizer);

        var mixed = await (await organizer.PostAsJsonAsync("/api/events", Body(("EUR", 10m), ("JPY", 1000m))))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(mixed.GetProperty("errors").TryGetProperty("performances[0].categories[1].currency", out _));
        Assert.Equal(0, await EventCountAsync());

        var created = await (await organizer.PostAsJsonAsync("/api/events", Body(("jpy", 1000m), ("JPY", 5000m)))).ReadJsonAsync(HttpStatusCode.Created);
        var categories = created.GetProperty("performances")[0].GetProperty("categories").EnumerateArray().ToList();
        Assert.All(categories, c => Assert.Equal("JPY", c.GetProperty("currency").GetString()));
    }

    [Fact]
    public async Task APriceWithMoreDecimalsThanItsCurrencyHas_IsRefused_YenHasNone()
    {
        var (organizer, _, _) = await app.CreateUserClientAsync(Roles.Organizer);

        var problem = await (await organizer.PostAsJsonAsync("/api/events", Body(("JPY", 1000.5m))))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("performances[0].categories[0].price", out _));
        Assert.Equal(0, await EventCountAsync());

        Assert.Equal(HttpStatusCode.Created, (await organizer.PostAsJsonAsync("/api/events", Body(("EUR", 1000.5m)))).StatusCode);
    }

    private static object Update(System.Text.Json.JsonElement ev, string currency) => new
    {
        title = ev.GetProperty("title").GetString(), description = "A show.", category = "Theatre", maxTicketsPerAccount = 4,
        performances = ev.GetProperty("performances").EnumerateArray().Select(p => new
        {
            id = p.GetProperty("id").GetGuid(), startsAt = p.GetProperty("startsAt").GetDateTimeOffset(),
            venue = new { name = "Salle Pleyel", city = "Paris" },
            categories = p.GetProperty("categories").EnumerateArray().Select(c => new
            {
                id = c.GetProperty("id").GetGuid(), name = c.GetProperty("name").GetString(), price = c.GetProperty("price").GetDecimal(),
                currency, capacity = c.GetProperty("capacity").GetInt32(),
            }).ToArray(),
        }).ToArray(),
    };

    [Fact]
    public async Task TheEventsCurrencyAndAccountCap_AreSetThroughTheApi_AndTheCurrencyIsFrozenByTheFirstOrder()
    {
        var (organizer, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var created = await (await organizer.PostAsJsonAsync("/api/events", Body(("EUR", 10m)))).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, created.GetProperty("maxTicketsPerAccount").ValueKind);

        var updated = await (await organizer.PutAsJsonAsync($"/api/events/{id}", Update(created, "USD"))).ReadJsonAsync();
        Assert.Equal(4, updated.GetProperty("maxTicketsPerAccount").GetInt32());
        Assert.Equal("USD", updated.GetProperty("performances")[0].GetProperty("categories")[0].GetProperty("currency").GetString());
        (await organizer.PostAsync($"/api/events/{id}/publish", null)).EnsureSuccessStatusCode();

        var (fan, _, _) = await app.CreateUserClientAsync();
        var performance = updated.GetProperty("performances")[0];
        object HoldOf(int quantity) => new
        {
            performanceId = performance.GetProperty("id").GetGuid(),
            items = new[] { new { categoryId = performance.GetProperty("categories")[0].GetProperty("id").GetGuid(), quantity } },
        };
        await (await fan.PostAsJsonAsync("/api/orders", HoldOf(5))).AssertProblemAsync(HttpStatusCode.Conflict, "account_limit_exceeded");
        var order = await (await fan.PostAsJsonAsync("/api/orders", HoldOf(4))).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("USD", order.GetProperty("currency").GetString());

        await (await organizer.PutAsJsonAsync($"/api/events/{id}", Update(updated, "EUR"))).AssertProblemAsync(HttpStatusCode.Conflict, "event_has_sales");
        var stored = await PurchaseTestData.QueryAsync(app, db => db.PriceCategories.Select(c => c.Currency).ToListAsync());
        Assert.Equal(["USD"], stored);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteEventCurrencyTests(SqliteApp app) : EventCurrencyTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresEventCurrencyTests(PostgresApp app) : EventCurrencyTests(app);
