using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Security;

/// <summary>Each class of 500 found by the bad-input test, closed at its root and kept closed, on both databases.</summary>
public abstract class InputBoundsTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private object Event(string title = "Rock & <Roll>", string description = "Line one\nline two", string venue = "Olympia",
        string category = "Cat 1") => new
    {
        title, description, category = "Concert", maxTicketsPerOrder = 6,
        performances = new[]
        {
            new
            {
                startsAt = app.Clock.GetUtcNow().AddDays(20), venue = new { name = venue, city = "Paris" },
                categories = new[] { new { name = category, price = 45m, capacity = 100 } },
            },
        },
    };

    private static StringContent Raw(string json) => new(json, Encoding.UTF8, "application/json");

    private async Task<int> CountEventsAsync() => await PurchaseTestData.QueryAsync(app, db => db.Events.CountAsync());

    // ---------------- paging and numeric filters ----------------

    [Theory]
    [InlineData("page=2147483647&pageSize=100")]
    [InlineData("page=-2147483648&pageSize=-5")]
    [InlineData("maxPrice=79228162514264337593543950335")]
    [InlineData("to=9999-12-31T00:00:00Z")]
    [InlineData("from=0001-01-01T00:00:00Z&to=0001-01-01T00:00:00Z")]
    public async Task TheCatalogue_WithExtremeNumbersAndDates_AnswersNormally(string query)
    {
        await PurchaseTestData.Event(app).SaveAsync();

        var response = await app.CreateClient().GetAsync("/api/events?" + query);

        var page = await response.ReadJsonAsync();
        Assert.InRange(page.GetProperty("page").GetInt32(), 1, PageRequest.MaxPage);
        Assert.InRange(page.GetProperty("pageSize").GetInt32(), 1, PageRequest.MaxPageSize);
    }

    [Fact]
    public async Task AHugeMaxPrice_MeansAnyPrice()
    {
        await PurchaseTestData.Event(app).WithCategory("Cat 1", 4500, 10).SaveAsync();

        var page = await (await app.CreateClient().GetAsync("/api/events?maxPrice=79228162514264337593543950335")).ReadJsonAsync();

        Assert.Equal(1, page.GetProperty("totalCount").GetInt32());
    }

    [Theory]
    [InlineData("/api/events?page=2147483648")]
    [InlineData("/api/events?pageSize=99999999999999999999")]
    [InlineData("/api/events?maxPrice=1e400")]
    [InlineData("/api/events?from=9999-12-31T23:59:59-14:00")]
    public async Task ANumberOrDateThatDoesNotFit_Is400ProblemDetails(string url) =>
        await (await app.CreateClient().GetAsync(url)).AssertProblemAsync(HttpStatusCode.BadRequest);

    [Fact]
    public async Task TheLastPageOfEveryList_AnswersEmpty()
    {
        var admin = await app.AdminClientAsync();
        foreach (var url in new[] { "/api/users", "/api/orders", "/api/tickets", "/api/admin/notifications", "/api/admin/notifications/sms" })
        {
            var page = await (await admin.GetAsync(url + "?page=2147483647&pageSize=2147483647")).ReadJsonAsync();
            Assert.Empty(page.GetProperty("items").EnumerateArray());
        }
    }

    // ---------------- text ----------------

    [Theory]
    [InlineData("q=%00")]
    [InlineData("q=a%00b")]
    [InlineData("city=%01")]
    [InlineData("q=a%7Fb")]
    public async Task ASearchWithControlCharacters_Is400WithTheField(string query)
    {
        var problem = await (await app.CreateClient().GetAsync("/api/events?" + query)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty(query.Split('=')[0], out _), problem.ToString());
    }

    [Fact]
    public async Task TheSearchPage_WithANul_SaysTheSearchIsInvalid()
    {
        var response = await app.CreateClient().GetAsync("/search?q=%00");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("not allowed", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AdminSearches_WithControlCharacters_Are400()
    {
        var admin = await app.AdminClientAsync();
        await (await admin.GetAsync("/api/users?search=%00")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        await (await admin.GetAsync("/api/admin/notifications?search=a%00")).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    [Theory]
    [InlineData("title", "title", "\"Ti\\u0000tle\"")]
    [InlineData("title", "title", "\"<b></b>\"")]
    [InlineData("description", "description", "\"Bell\\u0007\"")]
    [InlineData("performances[0].venue.name", "venue", "\"x\\u001by\"")]
    [InlineData("performances[0].categories[0].name", "category", "\"<i> </i>\"")]
    public async Task AnEvent_WithBadText_Is400WithTheFieldInFrenchAndStoresNothing(string field, string placeholder, string jsonValue)
    {
        var admin = await app.AdminClientAsync();
        var json = System.Text.Json.JsonSerializer.Serialize(Event(title: "__title", description: "__description", venue: "__venue", category: "__category"),
            HttpAssertions.Json);
        foreach (var name in new[] { "title", "description", "venue", "category" })
            json = json.Replace($"\"__{name}\"", name == placeholder ? jsonValue : "\"Fine\"");

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/events") { Content = Raw(json) }.WithLanguage("fr");
        var problem = await (await admin.SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        var messages = problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Contains(messages, m => m.Contains("caractères") || m.Contains("balises"));
        Assert.Equal(0, await CountEventsAsync());
    }

    [Fact]
    public async Task OrdinaryTextWithAngleBracketsAndLines_IsStoredTrimmedAsTyped()
    {
        var admin = await app.AdminClientAsync();

        var created = await (await admin.PostAsJsonAsync("/api/events", Event(title: "  Rock & <Roll>  "))).ReadJsonAsync(HttpStatusCode.Created);

        Assert.Equal("Rock & <Roll>", created.GetProperty("title").GetString());
        Assert.Equal("Line one\nline two", created.GetProperty("description").GetString());
    }

    [Fact]
    public async Task AnEventWithTheLongestTexts_IsStored()
    {
        var admin = await app.AdminClientAsync();
        var start = app.Clock.GetUtcNow().AddDays(20);
        var body = new
        {
            title = new string('T', 200), description = new string('d', 8000), descriptionFr = new string('f', 8000), artist = new string('a', 200),
            category = "Concert",
            performances = Enumerable.Range(0, 60).Select(i => new
            {
                startsAt = start.AddDays(i), venue = new { name = new string('v', 190) + i, city = new string('c', 110) + i },
                categories = new[] { new { name = "Cat 1", price = 10m, capacity = 10 } },
            }).ToArray(),
        };

        await (await admin.PostAsJsonAsync("/api/events", body)).ReadJsonAsync(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("Fan\\u0000", "validation_failed")]
    [InlineData("<b> </b>", "validation_failed")]
    [InlineData("\\ud800", "malformed_request")] // an unpaired surrogate is not even valid JSON text
    public async Task ADisplayName_WithBadText_Is400OnEveryPathThatStoresIt(string displayName, string code)
    {
        var (customer, userId, _) = await app.CreateUserClientAsync(Roles.Customer);
        var admin = await app.AdminClientAsync();
        var name = $"\"{displayName}\"";

        await (await customer.PutAsync("/api/me", Raw($"{{\"displayName\":{name}}}"))).AssertProblemAsync(HttpStatusCode.BadRequest, code);
        await (await admin.PutAsync($"/api/users/{userId}", Raw($"{{\"displayName\":{name}}}"))).AssertProblemAsync(HttpStatusCode.BadRequest, code);
        await (await app.CreateClient().PostAsync("/api/auth/register",
            Raw($"{{\"email\":\"new@test.local\",\"password\":\"{TicketingApp.Password}\",\"displayName\":{name}}}")))
            .AssertProblemAsync(HttpStatusCode.BadRequest, code);
        await (await admin.PostAsync("/api/users",
            Raw($"{{\"email\":\"new2@test.local\",\"password\":\"{TicketingApp.Password}\",\"displayName\":{name}}}")))
            .AssertProblemAsync(HttpStatusCode.BadRequest, code);
    }

    [Theory]
    [InlineData("a\\u0000b@test.local")]
    [InlineData("\\u0001")]
    public async Task ATokenRequest_WithControlCharactersInTheEmail_Is400(string email) =>
        await (await app.CreateClient().PostAsync("/api/auth/token", Raw($"{{\"email\":\"{email}\",\"password\":\"x\"}}")))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

    // ---------------- registration errors ----------------

    [Fact]
    public async Task RegisteringOneEmailInParallel_CreatesOneAccountAndAnswersEmailTakenToTheOthers()
    {
        var client = app.CreateClient();
        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => client.PostAsJsonAsync("/api/auth/register",
            new { email = "race@test.local", password = TicketingApp.Password, displayName = $"Racer {i}" })));

        Assert.Single(attempts, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var refused in attempts.Where(r => r.StatusCode != HttpStatusCode.Created))
            await refused.AssertProblemAsync(HttpStatusCode.Conflict, "email_taken");
    }

    [Fact]
    public async Task ADatabaseFailureAtRegistrationOtherThanADuplicateEmail_IsNotReportedAsEmailTaken()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var user = new AppUser
        {
            Id = Guid.CreateVersion7(), UserName = "broken@test.local", Email = "broken@test.local", DisplayName = null!,
            CreatedAt = app.Clock.GetUtcNow(),
        };

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => accounts.CreateAsync(user, TicketingApp.Password, [Roles.Customer]));

        Assert.IsType<DbUpdateException>(failure);
        Assert.False(((DbUpdateException)failure).IsUniqueViolation());
        Assert.Null(await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync("broken@test.local"));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteInputBoundsTests(SqliteApp app) : InputBoundsTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresInputBoundsTests(PostgresApp app) : InputBoundsTests(app);
