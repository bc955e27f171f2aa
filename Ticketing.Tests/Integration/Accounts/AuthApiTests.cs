using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Accounts;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Accounts;

public abstract class AuthApiTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Register_ThenToken_GivesACustomerBearerTokenThatReadsTheProfile()
    {
        var client = app.CreateClient();
        var created = await client.PostAsJsonAsync("/api/auth/register", new
        {
            email = "fan@example.com", password = TicketingApp.Password, displayName = "Léa Fan", phoneNumber = "+33612345678",
            preferredLanguage = "fr", notificationChannel = "Sms",
        });
        var user = await created.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("fan@example.com", user.GetProperty("email").GetString());
        Assert.Equal(["Customer"], user.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.NotNull(created.Headers.Location);

        var token = await (await client.PostAsJsonAsync("/api/auth/token", new { email = "fan@example.com", password = TicketingApp.Password }))
            .ReadJsonAsync();
        Assert.Equal("Bearer", token.GetProperty("tokenType").GetString());
        Assert.True(token.GetProperty("expiresIn").GetInt32() > 0);
        Assert.Equal(["Customer"], token.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));

        client.DefaultRequestHeaders.Authorization = new("Bearer", token.GetProperty("accessToken").GetString());
        var me = await (await client.GetAsync("/api/me")).ReadJsonAsync();
        Assert.Equal("Léa Fan", me.GetProperty("displayName").GetString());
        Assert.Equal("fr", me.GetProperty("preferredLanguage").GetString());
        Assert.Equal("Sms", me.GetProperty("notificationChannel").GetString());
        Assert.Equal("+33612345678", me.GetProperty("phoneNumber").GetString());
    }

    [Fact]
    public async Task Register_WithATakenEmail_Is409EmailTakenAndCreatesNothing()
    {
        var client = app.CreateClient();
        var body = new { email = "twice@example.com", password = TicketingApp.Password, displayName = "Twice" };
        (await client.PostAsJsonAsync("/api/auth/register", body)).EnsureSuccessStatusCode();
        var again = await client.PostAsJsonAsync("/api/auth/register", body with { });
        await again.AssertProblemAsync(HttpStatusCode.Conflict, "email_taken");
        Assert.Equal(1, await CountUsersAsync("TWICE@EXAMPLE.COM"));
    }

    [Fact]
    public async Task Register_ManyTimesInParallelWithOneEmail_CreatesExactlyOneAccount()
    {
        var client = app.CreateClient();
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            client.PostAsJsonAsync("/api/auth/register", new { email = "race@example.com", password = TicketingApp.Password, displayName = "Race" })));
        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Equal(1, await CountUsersAsync("RACE@EXAMPLE.COM"));
    }

    [Fact]
    public async Task Register_WithBadFields_Is400WithFieldErrorsInFrench()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/register")
        {
            Content = JsonContent.Create(new { email = "not-an-email", password = "short", displayName = "", phoneNumber = "0612", preferredLanguage = "de" }),
        }.WithLanguage("fr-FR");
        var problem = await (await app.CreateClient().SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "email", "password", "displayName", "phoneNumber", "preferredLanguage" })
            Assert.True(errors.TryGetProperty(field, out _), $"missing error for {field}");
        Assert.Equal("Saisissez une adresse e-mail valide.", errors.GetProperty("email")[0].GetString());
        Assert.Equal(0, await CountUsersAsync("NOT-AN-EMAIL"));
    }

    [Fact]
    public async Task MalformedJson_Is400ProblemDetails()
    {
        var response = await app.CreateClient().PostAsync("/api/auth/register",
            new StringContent("{\"email\": 42, \"password\":", System.Text.Encoding.UTF8, "application/json"));
        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_request");
    }

    [Fact]
    public async Task Token_WithAWrongPassword_Is401InvalidCredentials_AndThisClientWaitsAfterRepeatedFailures()
    {
        var (_, _, email) = await app.CreateUserClientAsync();
        var client = app.CreateClient();
        var wrong = await client.PostAsJsonAsync("/api/auth/token", new { email, password = "WrongPass1" });
        await wrong.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        for (var i = 0; i < 4; i++) await client.PostAsJsonAsync("/api/auth/token", new { email, password = "WrongPass1" });
        // This client waits now: even the right password is refused (the account itself is not locked).
        var throttled = await client.PostAsJsonAsync("/api/auth/token", new { email, password = TicketingApp.Password });
        await throttled.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
    }

    [Fact]
    public async Task Token_ForAnUnknownEmail_Is401LikeAWrongPassword()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { email = "nobody@example.com", password = "Whatever1" });
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
    }

    [Fact]
    public async Task UsersApi_IsForAdminsOnly()
    {
        var anonymous = await app.CreateClient().GetAsync("/api/users");
        await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        var (customer, _, _) = await app.CreateUserClientAsync(Roles.Customer);
        await (await customer.GetAsync("/api/users")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        var (organizer, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        await (await organizer.GetAsync("/api/users")).AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        var admin = await app.AdminClientAsync();
        var page = await (await admin.GetAsync("/api/users?page=1&pageSize=10")).ReadJsonAsync();
        Assert.True(page.GetProperty("totalCount").GetInt32() >= 3);
        Assert.Equal(1, page.GetProperty("page").GetInt32());
        Assert.Equal(10, page.GetProperty("pageSize").GetInt32());
    }

    [Fact]
    public async Task Admin_CreatesAnOrganizer_FiltersByRole_LocksAndDeletesKeepingTheRow()
    {
        var admin = await app.AdminClientAsync();
        var created = await (await admin.PostAsJsonAsync("/api/users", new
        {
            email = "org@example.com", password = TicketingApp.Password, displayName = "Org", roles = new[] { "Organizer" },
        })).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();

        var organizers = await (await admin.GetAsync("/api/users?role=Organizer")).ReadJsonAsync();
        Assert.Contains(organizers.GetProperty("items").EnumerateArray(), u => u.GetProperty("id").GetGuid() == id);
        var searched = await (await admin.GetAsync("/api/users?search=org%40example")).ReadJsonAsync();
        Assert.Equal(1, searched.GetProperty("totalCount").GetInt32());

        var locked = await (await admin.PutAsJsonAsync($"/api/users/{id}", new { displayName = "Org", roles = new[] { "Organizer" }, isLocked = true }))
            .ReadJsonAsync();
        Assert.True(locked.GetProperty("isLocked").GetBoolean());
        var refused = await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { email = "org@example.com", password = TicketingApp.Password });
        await refused.AssertProblemAsync((HttpStatusCode)423, "account_locked");

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/users/{id}")).StatusCode);
        await (await admin.GetAsync($"/api/users/{id}")).ReadJsonAsync(); // the row is kept, anonymised
        Assert.Equal(0, await CountUsersAsync("ORG@EXAMPLE.COM"));
        await (await admin.DeleteAsync($"/api/users/{id}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
        await (await admin.GetAsync($"/api/users/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Admin_CannotCreateAUserWithAnUnknownRole()
    {
        var admin = await app.AdminClientAsync();
        var response = await admin.PostAsJsonAsync("/api/users", new { email = "x@example.com", password = TicketingApp.Password, displayName = "X", roles = new[] { "Root" } });
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.True(problem.GetProperty("errors").TryGetProperty("roles", out _));
    }

    [Fact]
    public async Task Passwords_AreStoredOnlyAsBcryptHashes()
    {
        var client = app.CreateClient();
        (await client.PostAsJsonAsync("/api/auth/register", new { email = "hash@example.com", password = TicketingApp.Password, displayName = "H" }))
            .EnsureSuccessStatusCode();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
        var hashes = await db.Users.Select(u => u.PasswordHash).ToListAsync();
        Assert.All(hashes.Where(h => h is not null), h => Assert.StartsWith("$2", h));
        Assert.DoesNotContain(hashes, h => h != null && h.Contains(TicketingApp.Password));
    }

    [Fact]
    public async Task Me_UpdatesTheProfileButNeverTheRoles()
    {
        var (client, _, _) = await app.CreateUserClientAsync();
        var updated = await (await client.PutAsJsonAsync("/api/me", new
        {
            displayName = "New Name", phoneNumber = "+33700000000", preferredLanguage = "fr", notificationChannel = "Sms", roles = new[] { "Admin" },
        })).ReadJsonAsync();
        Assert.Equal("New Name", updated.GetProperty("displayName").GetString());
        Assert.Equal(["Customer"], updated.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var bad = await client.PutAsJsonAsync("/api/me", new { displayName = "", notificationChannel = "Pigeon" });
        await bad.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
    }

    private async Task<int> CountUsersAsync(string normalizedEmail)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
        return await db.Users.CountAsync(u => u.NormalizedEmail == normalizedEmail);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class AuthApiTests_Sqlite(SqliteApp app) : AuthApiTests(app);

[Collection(PostgresCollection.Name)]
public sealed class AuthApiTests_Postgres(PostgresApp app) : AuthApiTests(app);
