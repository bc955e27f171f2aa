using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Accounts;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Security;

/// <summary>New passwords: 12 characters at least and not a common or leaked one; existing accounts keep theirs.</summary>
public abstract class PasswordPolicyTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> RefusedPasswordMessageAsync(HttpClient client, string path, object body, string language)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) }.WithLanguage(language);
        var problem = await (await client.SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        return problem.GetProperty("errors").GetProperty("password")[0].GetString()!;
    }

    [Theory]
    [InlineData("en", "Short-pass1", "The password needs at least 12 characters, and not one of the common or leaked passwords.")]
    [InlineData("fr", "Short-pass1", "Le mot de passe doit contenir au moins 12 caractères et ne pas être un mot de passe courant ou divulgué.")]
    [InlineData("en", "password1234", "This password is too common: it appears in lists of leaked passwords. Choose another one.")]
    [InlineData("fr", "Baseball2026!!", "Ce mot de passe est trop courant\u202F: il figure dans des listes de mots de passe divulgués. Choisissez-en un autre.")]
    public async Task Registration_RefusesShortAndCommonPasswords_WithALocalizedMessage_AndCreatesNobody(string language, string password, string message)
    {
        var email = $"weak-{Guid.NewGuid():N}@example.com";
        Assert.Equal(message, await RefusedPasswordMessageAsync(app.CreateClient(), "/api/auth/register",
            new { email, password, displayName = "Weak" }, language));
        Assert.Equal(message, await RefusedPasswordMessageAsync(await app.AdminClientAsync(), "/api/users",
            new { email, password, displayName = "Weak", roles = new[] { Roles.Organizer } }, language));
        Assert.Equal(0, await PurchaseTestData.QueryAsync(app, db => db.Users.CountAsync(u => u.NormalizedEmail == email.ToUpperInvariant())));
    }

    [Fact]
    public async Task Registration_AcceptsALongUncommonPassword()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/auth/register",
            new { email = $"strong-{Guid.NewGuid():N}@example.com", password = TicketingApp.Password, displayName = "Strong" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task AnExistingAccountWithAnOldShortPassword_StillSignsIn()
    {
        const string oldPassword = "Old-pass1"; // 9 characters: accepted by the former rules
        var email = $"old-{Guid.NewGuid():N}@example.com";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = new AppUser { Id = Guid.CreateVersion7(), UserName = email, Email = email, DisplayName = "Old", CreatedAt = app.Clock.GetUtcNow() };
            user.PasswordHash = users.PasswordHasher.HashPassword(user, oldPassword);
            Assert.True((await users.CreateAsync(user)).Succeeded); // no password given: no policy applied, as for accounts made before
            await users.AddToRoleAsync(user, Roles.Customer);
        }
        var token = await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { email, password = oldPassword });
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class PasswordPolicyTests_Sqlite(SqliteApp app) : PasswordPolicyTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PasswordPolicyTests_Postgres(PostgresApp app) : PasswordPolicyTests(app);
