using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Accounts;
using Ticketing.Core.Events;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Events;

public abstract class EventsApiTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    // ---------------- helpers ----------------

    private DateTimeOffset InDays(int days, int hour = 19) =>
        new DateTimeOffset(app.Clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(days).AddHours(hour);

    private object Body(string title = "Cyrano de Bergerac", string category = "Theatre", string city = "Paris", int days = 10,
        decimal price = 45m, int capacity = 200, string? venue = null, string? artist = null, object[]? performances = null) => new
    {
        title, description = "A show.", category, artist, maxTicketsPerOrder = 8,
        performances = performances ?? [Perf(days, city, venue ?? "Théâtre de la Ville", ("Cat 1", price, capacity))],
    };

    private object Perf(int days, string city, string venue, params (string Name, decimal Price, int Capacity)[] cats) => new
    {
        startsAt = InDays(days), venue = new { name = venue, city, address = "1 rue de la Paix" },
        categories = cats.Select(c => new { name = c.Name, price = c.Price, capacity = c.Capacity }).ToArray(),
    };

    private static async Task<JsonElement> CreateAsync(HttpClient client, object body) =>
        await (await client.PostAsJsonAsync("/api/events", body)).ReadJsonAsync(HttpStatusCode.Created);

    private async Task<Guid> CreatePublishedAsync(HttpClient client, object body)
    {
        var id = (await CreateAsync(client, body)).GetProperty("id").GetGuid();
        (await client.PostAsync($"/api/events/{id}/publish", null)).EnsureSuccessStatusCode();
        return id;
    }

    private async Task<int> CountEventsAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TicketingDbContext>().Events.CountAsync();
    }

    private async Task SetCountersAsync(Guid categoryId, int sold, int held)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
        await db.PriceCategories.Where(c => c.Id == categoryId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Sold, sold).SetProperty(c => c.Held, held));
    }

    private static Guid FirstCategoryId(JsonElement ev) =>
        ev.GetProperty("performances")[0].GetProperty("categories")[0].GetProperty("id").GetGuid();

    /// <summary>The PUT body that keeps every performance and category of <paramref name="ev"/>, with optional changes.</summary>
    private static object UpdateBody(JsonElement ev, string? title = null, Func<JsonElement, int>? capacity = null,
        bool dropLastCategory = false, object? extraCategory = null) => new
    {
        title = title ?? ev.GetProperty("title").GetString(), description = ev.GetProperty("description").GetString(),
        category = ev.GetProperty("category").GetString(), maxTicketsPerOrder = ev.GetProperty("maxTicketsPerOrder").GetInt32(),
        performances = ev.GetProperty("performances").EnumerateArray().Select(p => new
        {
            id = p.GetProperty("id").GetGuid(), startsAt = p.GetProperty("startsAt").GetDateTimeOffset(),
            venue = new { name = p.GetProperty("venue").GetProperty("name").GetString(), city = p.GetProperty("venue").GetProperty("city").GetString() },
            categories = p.GetProperty("categories").EnumerateArray()
                .Take(p.GetProperty("categories").GetArrayLength() - (dropLastCategory ? 1 : 0))
                .Select(c => (object)new
                {
                    id = c.GetProperty("id").GetGuid(), name = c.GetProperty("name").GetString(), price = c.GetProperty("price").GetDecimal(),
                    capacity = capacity?.Invoke(c) ?? c.GetProperty("capacity").GetInt32(),
                })
                .Concat(extraCategory is null ? [] : [extraCategory]).ToArray(),
        }).ToArray(),
    };

    private static async Task<List<string>> TitlesAsync(HttpClient client, string query)
    {
        var page = await (await client.GetAsync("/api/events?" + query)).ReadJsonAsync();
        return page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("title").GetString()!).ToList();
    }

    // ---------------- create ----------------

    [Fact]
    public async Task Create_AsOrganizer_Is201DraftWithLocationTicketPrefixAndDecimalPrices()
    {
        var (organizer, organizerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var response = await organizer.PostAsJsonAsync("/api/events", Body(price: 45.5m, city: "Lyon"));
        var ev = await response.ReadJsonAsync(HttpStatusCode.Created);

        Assert.Equal($"/api/events/{ev.GetProperty("id").GetGuid()}", response.Headers.Location!.OriginalString);
        Assert.Equal("Draft", ev.GetProperty("status").GetString());
        Assert.Equal(organizerId, ev.GetProperty("ownerId").GetGuid());
        Assert.Equal(8, ev.GetProperty("maxTicketsPerOrder").GetInt32());
        var perf = ev.GetProperty("performances")[0];
        Assert.StartsWith("LYO-", perf.GetProperty("ticketPrefix").GetString());
        Assert.Equal("Lyon", perf.GetProperty("venue").GetProperty("city").GetString());
        var cat = perf.GetProperty("categories")[0];
        Assert.Equal(45.5m, cat.GetProperty("price").GetDecimal());
        Assert.Equal("EUR", cat.GetProperty("currency").GetString());
        Assert.Equal(200, cat.GetProperty("capacity").GetInt32());
        Assert.Equal(200, cat.GetProperty("available").GetInt32());
    }

    [Fact]
    public async Task Create_AsAnonymousIs401_AsCustomerIs403_AndSavesNothing()
    {
        await (await app.CreateClient().PostAsJsonAsync("/api/events", Body())).AssertProblemAsync(HttpStatusCode.Unauthorized);
        var (customer, _, _) = await app.CreateUserClientAsync(Roles.Customer);
        await (await customer.PostAsJsonAsync("/api/events", Body())).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(0, await CountEventsAsync());
    }

    [Fact]
    public async Task Create_WithBadFields_Is400WithEveryFieldErrorInFrench_AndSavesNothing()
    {
        var (organizer, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var body = new
        {
            title = "  ", description = "x", category = "Opera", maxTicketsPerOrder = 500,
            performances = new object[]
            {
                new
                {
                    startsAt = InDays(-2), venue = new { name = "", city = "Paris" },
                    salesOpenAt = InDays(-10), salesCloseAt = InDays(-20),
                    categories = new object[] { new { name = "Cat 1", price = -5m, capacity = -3 }, new { name = "cat 1", price = 10m, capacity = 10 } },
                },
                new { startsAt = InDays(5), venue = new { name = "Zénith", city = "Lille" }, categories = Array.Empty<object>() },
            },
        };
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = JsonContent.Create(body) }.WithLanguage("fr-FR");
        var problem = await (await organizer.SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var errors = problem.GetProperty("errors");
        foreach (var field in new[]
                 {
                     "title", "category", "maxTicketsPerOrder", "performances[0].startsAt", "performances[0].venue.name",
                     "performances[0].salesCloseAt", "performances[0].categories[0].price", "performances[0].categories[0].capacity",
                     "performances[0].categories[1].name", "performances[1].categories",
                 })
            Assert.True(errors.TryGetProperty(field, out _), $"missing error for {field}: {errors}");
        Assert.Equal("Ce champ est obligatoire.", errors.GetProperty("title")[0].GetString());
        Assert.Equal("Catégorie inconnue\u202F: Opera.", errors.GetProperty("category")[0].GetString());
        Assert.Equal("Cette date est passée.", errors.GetProperty("performances[0].startsAt")[0].GetString());
        Assert.Equal("Le prix ne peut pas être négatif.", errors.GetProperty("performances[0].categories[0].price")[0].GetString());
        Assert.Equal(0, await CountEventsAsync());
    }

    [Fact]
    public async Task Create_WithNoPerformancesOrAnUnsafeImageUrl_Is400()
    {
        var (organizer, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var problem = await (await organizer.PostAsJsonAsync("/api/events", new
        {
            title = "T", description = "D", category = "Concert", imageUrl = "javascript:alert(1)", performances = Array.Empty<object>(),
        })).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("performances", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("imageUrl", out _));
        Assert.Equal(0, await CountEventsAsync());
    }

    // ---------------- visibility and who may write ----------------

    [Fact]
    public async Task Draft_IsInvisibleToAnonymousCustomersAndOtherOrganizers_ButVisibleToOwnerAndAdmin()
    {
        var (owner, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var (other, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var (customer, _, _) = await app.CreateUserClientAsync(Roles.Customer);
        var id = (await CreateAsync(owner, Body(title: "Secret draft"))).GetProperty("id").GetGuid();

        foreach (var client in new[] { app.CreateClient(), customer, other })
        {
            await (await client.GetAsync($"/api/events/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
            Assert.Empty(await TitlesAsync(client, "q=secret"));
        }
        Assert.Equal("Draft", (await (await owner.GetAsync($"/api/events/{id}")).ReadJsonAsync()).GetProperty("status").GetString());
        var admin = await app.AdminClientAsync();
        Assert.Equal("Draft", (await (await admin.GetAsync($"/api/events/{id}")).ReadJsonAsync()).GetProperty("status").GetString());

        // Another organizer cannot even learn that the draft exists.
        await (await other.PutAsJsonAsync($"/api/events/{id}", Body(title: "Hijack"))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.PostAsync($"/api/events/{id}/publish", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await other.DeleteAsync($"/api/events/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Publish_ByOwner_PutsTheEventInTheCatalogue_AndOnlyOwnerOrAdminMayWriteIt()
    {
        var (owner, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var (other, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var (customer, _, _) = await app.CreateUserClientAsync(Roles.Customer);
        var id = await CreatePublishedAsync(owner, Body(title: "Gala"));
        var anonymous = app.CreateClient();

        var ev = await (await anonymous.GetAsync($"/api/events/{id}")).ReadJsonAsync();
        Assert.Equal("Published", ev.GetProperty("status").GetString());
        Assert.Equal(["Gala"], await TitlesAsync(anonymous, ""));

        await (await anonymous.PutAsJsonAsync($"/api/events/{id}", UpdateBody(ev, "X"))).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await customer.PutAsJsonAsync($"/api/events/{id}", UpdateBody(ev, "X"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await other.PutAsJsonAsync($"/api/events/{id}", UpdateBody(ev, "X"))).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await (await other.DeleteAsync($"/api/events/{id}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await customer.DeleteAsync($"/api/events/{id}")).AssertProblemAsync(HttpStatusCode.Forbidden);

        var admin = await app.AdminClientAsync();
        var renamed = await (await admin.PutAsJsonAsync($"/api/events/{id}", UpdateBody(ev, "Gala by the Admin"))).ReadJsonAsync();
        Assert.Equal("Gala by the Admin", renamed.GetProperty("title").GetString());
        var mine = await (await owner.PutAsJsonAsync($"/api/events/{id}", UpdateBody(renamed, "Gala de l'été"))).ReadJsonAsync();
        Assert.Equal("Gala de l'été", mine.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Update_KeepsTheSearchTextCurrent()
    {
        var (owner, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var id = await CreatePublishedAsync(owner, Body(title: "Old name"));
        var ev = await (await owner.GetAsync($"/api/events/{id}")).ReadJsonAsync();
        (await owner.PutAsJsonAsync($"/api/events/{id}", UpdateBody(ev, "Soirée Électro"))).EnsureSuccessStatusCode();
        var anonymous = app.CreateClient();
        Assert.Empty(await TitlesAsync(anonymous, "q=old"));
        Assert.Equal(["Soirée Électro"], await TitlesAsync(anonymous, "q=soiree%20ELECTRO"));
    }

    // ---------------- capacity floor, removal, delete ----------------

    [Fact]
    public async Task Update_CapacityBelowSoldPlusHeld_Is409AndChangesNothing_ButDownToExactlyThatIsAllowed()
    {
        var (owner, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await CreateAsync(owner, Body(capacity: 100));
        var id = ev.GetProperty("id").GetGuid();
        await SetCountersAsync(FirstCategoryId(ev), sold: 30, held: 10);

        var refused = await owner.PutAsJsonAsync($"/api/events/{id}", UpdateBody(ev, "Renamed", _ => 39));
        var problem = await refused.AssertProblemAsync(HttpStatusCode.Conflict, "capacity_below_sold");
        Assert.Equal(40, problem.GetProperty("minimum").GetInt32());
        var after = await (await owner.GetAsync($"/api/events/{id}")).ReadJsonAsync();
        Assert.Equal("Cyrano de Bergerac", after.GetProperty("title").GetString());
        Assert.Equal(100, after.GetProperty("performances")[0].GetProperty("categories")[0].GetProperty("capacity").GetInt32());

        var ok = await (await owner.PutAsJsonAsync($"/api/events/{id}", UpdateBody(ev, null, _ => 40))).ReadJsonAsync();
        var cat = ok.GetProperty("performances")[0].GetProperty("categories")[0];
        Assert.Equal(40, cat.GetProperty("capacity").GetInt32());
        Assert.Equal(0, cat.GetProperty("available").GetInt32());
        Assert.True(ok.GetProperty("soldOut").GetBoolean());
    }

    [Fact]
    public async Task Update_RemovingACategoryWithSalesIs409_WithoutSalesItGoes_AndNewCategoriesAreAdded()
    {
        var (owner, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await CreateAsync(owner, Body(performances: [Perf(10, "Paris", "Zénith", ("Carré Or", 120m, 50), ("Fosse", 60m, 500))]));
        var id = ev.GetProperty("id").GetGuid();
        var fosse = ev.GetProperty("performances")[0].GetProperty("categories")[1].GetProperty("id").GetGuid();
        await SetCountersAsync(fosse, sold: 0, held: 2);

        await (await owner.PutAsJsonAsync($"/api/events/{id}", UpdateBody(ev, dropLastCategory: true)))
            .AssertProblemAsync(HttpStatusCode.Conflict, "event_has_sales");
        Assert.Equal(2, (await (await owner.GetAsync($"/api/events/{id}")).ReadJsonAsync())
            .GetProperty("performances")[0].GetProperty("categories").GetArrayLength());

        await SetCountersAsync(fosse, sold: 0, held: 0);
        var updated = await (await owner.PutAsJsonAsync($"/api/events/{id}",
            UpdateBody(ev, dropLastCategory: true, extraCategory: new { name = "Cat 2", price = 35m, capacity = 300 }))).ReadJsonAsync();
        var names = updated.GetProperty("performances")[0].GetProperty("categories").EnumerateArray().Select(c => c.GetProperty("name").GetString());
        Assert.Equal(["Carré Or", "Cat 2"], names);
    }

    [Fact]
    public async Task Update_WithACategoryIdOfAnotherEvent_Is400AndChangesNothing()
    {
        var (owner, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await CreateAsync(owner, Body());
        var other = await CreateAsync(owner, Body(title: "Other"));
        var body = UpdateBody(ev, "Changed", extraCategory: new { id = FirstCategoryId(other), name = "Stolen", price = 1m, capacity = 1 });
        var problem = await (await owner.PutAsJsonAsync($"/api/events/{ev.GetProperty("id").GetGuid()}", body))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("performances[0].categories[1].id", out _));
    }

    [Fact]
    public async Task Delete_WithSoldOrHeldSeats_Is409EventHasSales_WithoutIs204()
    {
        var (owner, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var sold = await CreateAsync(owner, Body(title: "Sold"));
        var held = await CreateAsync(owner, Body(title: "Held"));
        var empty = await CreateAsync(owner, Body(title: "Empty"));
        await SetCountersAsync(FirstCategoryId(sold), sold: 1, held: 0);
        await SetCountersAsync(FirstCategoryId(held), sold: 0, held: 3);

        await (await owner.DeleteAsync($"/api/events/{sold.GetProperty("id").GetGuid()}")).AssertProblemAsync(HttpStatusCode.Conflict, "event_has_sales");
        await (await owner.DeleteAsync($"/api/events/{held.GetProperty("id").GetGuid()}")).AssertProblemAsync(HttpStatusCode.Conflict, "event_has_sales");
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/events/{empty.GetProperty("id").GetGuid()}")).StatusCode);
        await (await owner.GetAsync($"/api/events/{empty.GetProperty("id").GetGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(2, await CountEventsAsync());

        var admin = await app.AdminClientAsync();
        var byAdmin = await CreateAsync(owner, Body(title: "Admin deletes"));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/events/{byAdmin.GetProperty("id").GetGuid()}")).StatusCode);
    }

    // ---------------- catalogue search ----------------

    [Fact]
    public async Task Search_IsAccentAndCaseInsensitive_OnTextAndCity()
    {
        var (owner, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        await CreatePublishedAsync(owner, Body(title: "Nuit au Théâtre", city: "Lyon", venue: "Salle Rameau"));
        await CreatePublishedAsync(owner, Body(title: "Gala", category: "Show", city: "Besançon", venue: "Kursaal"));
        await CreatePublishedAsync(owner, Body(title: "ROCK NIGHT", category: "Concert", city: "Paris", venue: "Olympia", artist: "Zoé"));
        var anonymous = app.CreateClient();

        Assert.Equal(["Nuit au Théâtre"], await TitlesAsync(anonymous, "q=theatre"));
        Assert.Equal(["Nuit au Théâtre"], await TitlesAsync(anonymous, "q=THÉÂTRE"));
        Assert.Equal(["Nuit au Théâtre"], await TitlesAsync(anonymous, "q=lyon"));
        Assert.Equal(["Nuit au Théâtre"], await TitlesAsync(anonymous, "city=LYON"));
        Assert.Equal(["Gala"], await TitlesAsync(anonymous, "city=besancon"));
        Assert.Equal(["ROCK NIGHT"], await TitlesAsync(anonymous, "q=rock%20zoe"));
        Assert.Empty(await TitlesAsync(anonymous, "q=rock%20lyon"));
    }

    [Fact]
    public async Task Search_FiltersByCategoryDatesAndMaxPrice_SortsAndPages()
    {
        var (owner, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        await CreatePublishedAsync(owner, Body(title: "A comedy", category: "Comedy", days: 3, price: 30m));
        await CreatePublishedAsync(owner, Body(title: "B concert", category: "Concert", days: 20, price: 80m));
        await CreatePublishedAsync(owner, Body(title: "C concert", category: "concert", days: 40, price: 25m));
        await CreatePublishedAsync(owner, Body(title: "D past soon", category: "Sport", days: 1, price: 10m));
        app.Clock.Advance(TimeSpan.FromDays(2)); // "D" is now in the past: it leaves the catalogue
        var anonymous = app.CreateClient();

        Assert.Equal(["A comedy", "B concert", "C concert"], await TitlesAsync(anonymous, ""));
        Assert.Equal(["B concert", "C concert"], await TitlesAsync(anonymous, "category=Concert"));
        Assert.Equal(["C concert", "A comedy", "B concert"], await TitlesAsync(anonymous, "sort=Price"));
        Assert.Equal(["A comedy", "C concert"], await TitlesAsync(anonymous, "maxPrice=30"));
        var from = Uri.EscapeDataString(InDays(10).ToString("O"));
        var to = Uri.EscapeDataString(InDays(30).ToString("O"));
        Assert.Equal(["B concert"], await TitlesAsync(anonymous, $"from={from}&to={to}"));

        var page2 = await (await anonymous.GetAsync("/api/events?page=2&pageSize=2")).ReadJsonAsync();
        Assert.Equal(3, page2.GetProperty("totalCount").GetInt32());
        Assert.Equal(2, page2.GetProperty("page").GetInt32());
        Assert.Equal(2, page2.GetProperty("pageSize").GetInt32());
        Assert.Equal("C concert", page2.GetProperty("items")[0].GetProperty("title").GetString());
        var capped = await (await anonymous.GetAsync("/api/events?pageSize=1000")).ReadJsonAsync();
        Assert.Equal(100, capped.GetProperty("pageSize").GetInt32());

        await (await anonymous.GetAsync("/api/events?category=Opera")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Fact]
    public async Task ListItem_SaysFromPriceTourCitiesAndSoldOutOrLastSeats()
    {
        var (owner, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var tourId = await CreatePublishedAsync(owner, Body(title: "Tour", category: "Concert", performances:
        [
            Perf(10, "Paris", "Stade de France", ("Carré Or", 150m, 100), ("Fosse", 59.9m, 1000)),
            Perf(12, "Lyon", "Groupama Stadium", ("Fosse", 55m, 1000)),
            Perf(14, "Genève", "Stade de Genève", ("Fosse", 65m, 1000)),
        ]));
        var soloId = await CreatePublishedAsync(owner, Body(title: "Solo", capacity: 100));
        var solo = await (await owner.GetAsync($"/api/events/{soloId}")).ReadJsonAsync();
        await SetCountersAsync(FirstCategoryId(solo), sold: 85, held: 0);

        var items = (await (await app.CreateClient().GetAsync("/api/events?sort=Title")).ReadJsonAsync()).GetProperty("items");
        var soloItem = items[0];
        Assert.Equal("Solo", soloItem.GetProperty("title").GetString());
        Assert.Equal("Paris", soloItem.GetProperty("city").GetString());
        Assert.True(soloItem.GetProperty("lastSeats").GetBoolean());
        Assert.False(soloItem.GetProperty("soldOut").GetBoolean());
        var tour = items[1];
        Assert.Equal(tourId, tour.GetProperty("id").GetGuid());
        Assert.Equal(55m, tour.GetProperty("priceFrom").GetDecimal());
        Assert.Equal("EUR", tour.GetProperty("currency").GetString());
        Assert.Equal(["Paris", "Lyon", "Genève"], tour.GetProperty("cities").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(JsonValueKind.Null, tour.GetProperty("city").ValueKind);
        Assert.Equal(InDays(10), tour.GetProperty("firstDate").GetDateTimeOffset());
        Assert.Equal(InDays(14), tour.GetProperty("lastDate").GetDateTimeOffset());
        Assert.Equal("tour", tour.GetProperty("slug").GetString());

        await SetCountersAsync(FirstCategoryId(solo), sold: 90, held: 10);
        var soldOut = (await (await app.CreateClient().GetAsync("/api/events?q=solo")).ReadJsonAsync()).GetProperty("items")[0];
        Assert.True(soldOut.GetProperty("soldOut").GetBoolean());
    }

    // ---------------- image upload ----------------

    private static readonly byte[] Png =
        Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==");

    private static MultipartFormDataContent Upload(byte[] bytes, string fileName, string contentType)
    {
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return new MultipartFormDataContent { { file, "image", fileName } };
    }

    [Fact]
    public async Task UploadImage_Png_IsStoredUnderARandomNameAndServedWithItsTypeAndNosniff()
    {
        var (owner, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var id = (await CreateAsync(owner, Body())).GetProperty("id").GetGuid();
        var result = await (await owner.PostAsync($"/api/events/{id}/image", Upload(Png, "../../poster.png", "image/png"))).ReadJsonAsync();
        var url = result.GetProperty("imageUrl").GetString()!;
        Assert.Matches("^/media/events/[0-9a-f]{32}\\.png$", url);
        Assert.Equal(url, (await (await owner.GetAsync($"/api/events/{id}")).ReadJsonAsync()).GetProperty("imageUrl").GetString());

        var served = await app.CreateClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/png", served.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", served.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(Png, await served.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await app.CreateClient().GetAsync("/media/events/..%2Fticketing.db")).StatusCode);
    }

    [Fact]
    public async Task UploadImage_NotAnImageOrTooLarge_Is400WithFieldError_AndOthersAreRefused()
    {
        var (owner, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var (other, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var (customer, _, _) = await app.CreateUserClientAsync(Roles.Customer);
        var id = await CreatePublishedAsync(owner, Body());

        var html = "<html><script>alert(1)</script></html>"u8.ToArray();
        var notImage = await (await owner.PostAsync($"/api/events/{id}/image", Upload(html, "poster.png", "image/png")))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(notImage.GetProperty("errors").TryGetProperty("image", out _));

        var huge = new byte[2 * 1024 * 1024 + 10];
        Png.CopyTo(huge, 0);
        var tooLarge = await (await owner.PostAsync($"/api/events/{id}/image", Upload(huge, "big.png", "image/png")))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(tooLarge.GetProperty("errors").TryGetProperty("image", out _));

        await (await customer.PostAsync($"/api/events/{id}/image", Upload(Png, "p.png", "image/png"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await other.PostAsync($"/api/events/{id}/image", Upload(Png, "p.png", "image/png"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        var ev = await (await owner.GetAsync($"/api/events/{id}")).ReadJsonAsync();
        Assert.Equal(JsonValueKind.Null, ev.GetProperty("imageUrl").ValueKind);
    }

    // ---------------- demo data ----------------

    [Fact]
    public async Task DemoSeed_CreatesAFullCatalogueOnce_AndRunningItAgainCreatesNothing()
    {
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.True(await scope.ServiceProvider.GetRequiredService<DemoCatalogSeeder>().SeedAsync());
        var count = await CountEventsAsync();
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.False(await scope.ServiceProvider.GetRequiredService<DemoCatalogSeeder>().SeedAsync());
        Assert.Equal(count, await CountEventsAsync());

        var anonymous = app.CreateClient();
        var tour = (await (await anonymous.GetAsync("/api/events?q=aurora")).ReadJsonAsync()).GetProperty("items")[0];
        Assert.True(tour.GetProperty("cities").GetArrayLength() >= 8);
        var detail = await (await anonymous.GetAsync($"/api/events/{tour.GetProperty("id").GetGuid()}")).ReadJsonAsync();
        var categories = detail.GetProperty("performances")[0].GetProperty("categories").EnumerateArray().Select(c => c.GetProperty("name").GetString());
        Assert.Equal(["Carré Or", "Cat 1", "Fosse"], categories);
        Assert.True(detail.GetProperty("performances")[0].GetProperty("capacity").GetInt32() >= 20_000);
        foreach (var category in Enum.GetNames<EventCategory>())
            Assert.NotEmpty(await TitlesAsync(anonymous, $"category={category}"));
        Assert.NotEmpty(await TitlesAsync(anonymous, "q=theatre"));
        Assert.NotNull(await app.ClientForAsync(DemoCatalogSeeder.OrganizerEmail, DemoCatalogSeeder.OrganizerPassword));

        // Reserved seating (issue 22): a 604-seat theatre numbered odd-even and an 80,000-seat stadium, both on sale.
        async Task<Guid> FirstPerformanceAsync(string q)
        {
            var found = (await (await anonymous.GetAsync($"/api/events?q={q}")).ReadJsonAsync()).GetProperty("items")[0];
            var d = await (await anonymous.GetAsync($"/api/events/{found.GetProperty("id").GetGuid()}")).ReadJsonAsync();
            return d.GetProperty("performances")[0].GetProperty("id").GetGuid();
        }
        var theatre = (await (await anonymous.GetAsync($"/api/performances/{await FirstPerformanceAsync("cyrano")}/seats")).ReadJsonAsync()).GetProperty("seats");
        Assert.Equal(604, theatre.GetArrayLength());
        Assert.Equal("25", theatre[0].GetProperty("label").GetString());
        Assert.Equal("2", theatre[13].GetProperty("label").GetString());
        Assert.All(theatre.EnumerateArray(), s => Assert.Equal("Available", s.GetProperty("status").GetString()));
        var stadium = await (await anonymous.GetAsync($"/api/performances/{await FirstPerformanceAsync("coupe")}/seats?format=compact")).Content.ReadAsByteArrayAsync();
        using var compressed = new MemoryStream();
        await using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true))
            await gzip.WriteAsync(stadium);
        Console.WriteLine($"compact seat map 80000 seats: {stadium.Length} bytes, {compressed.Length} gzip");
        Assert.Equal(80_000, System.Text.Json.JsonDocument.Parse(stadium).RootElement.GetProperty("count").GetInt32());
        Assert.True(compressed.Length < 1_000_000, $"{compressed.Length} bytes gzipped");
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteEventsApiTests(SqliteApp app) : EventsApiTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresEventsApiTests(PostgresApp app) : EventsApiTests(app);
