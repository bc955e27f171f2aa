using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Ticketing.Core.Accounts;
using Ticketing.Core.Notifications;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;
using Ticketing.Tests.Integration.Notifications;

namespace Ticketing.Tests.Integration.Accounts;

/// <summary>
/// Password and email changes from the account (POST /api/me/password, POST /api/me/email), re-authenticated with the
/// current password, with the mails read from the real SMTP test server: a password change signs every session out;
/// an email change waits for the link mailed to the new address, then tells the old one.
/// </summary>
public abstract partial class AccountSecurityTests(SmtpTicketingApp app) : IAsyncLifetime
{
    private const string NewPassword = TicketingApp.Password + "-new1";
    private readonly NotificationTestData data = new(app);
    private TestSmtpServer Smtp => app.Smtp;

    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        Smtp.Refusing = false;
        await Smtp.StartAsync();
        Smtp.Clear();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ChangingThePassword_Answers204_SignsEverySessionOut_AndOnlyTheNewPasswordSignsIn()
    {
        var (client, _, email) = await app.CreateUserClientAsync();
        var otherDevice = await app.ClientForAsync(email, TicketingApp.Password);
        var refresh = await (await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { email, password = TicketingApp.Password })).ReadJsonAsync();

        var changed = await client.PostAsJsonAsync("/api/me/password", new { currentPassword = TicketingApp.Password, newPassword = NewPassword });

        Assert.Equal(HttpStatusCode.NoContent, changed.StatusCode);
        await (await otherDevice.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await app.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = refresh.GetProperty("refreshToken").GetString() }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
        await (await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { email, password = TicketingApp.Password }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        var again = await app.ClientForAsync(email, NewPassword);
        await (await again.GetAsync("/api/me")).ReadJsonAsync();
    }

    [Fact]
    public async Task AWrongCurrentPassword_Is403_AWeakNewOne_Is400WithThePolicy_AndThePasswordStays()
    {
        var (client, _, email) = await app.CreateUserClientAsync();

        var wrong = await client.PostAsJsonAsync("/api/me/password", new { currentPassword = "not-my-password-at-all", newPassword = NewPassword });
        var problem = await wrong.AssertProblemAsync(HttpStatusCode.Forbidden, "wrong_password");
        Assert.Equal("The current password is wrong.", problem.GetProperty("detail").GetString());

        var weak = await client.PostAsJsonAsync("/api/me/password", new { currentPassword = TicketingApp.Password, newPassword = "short" });
        var policy = await weak.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.NotEmpty(policy.GetProperty("errors").GetProperty("newPassword").EnumerateArray());

        var missing = await client.PostAsJsonAsync("/api/me/password", new { newPassword = NewPassword });
        await missing.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        // Nothing changed: the session still works and the old password still signs in.
        await (await client.GetAsync("/api/me")).ReadJsonAsync();
        await app.ClientForAsync(email, TicketingApp.Password);
    }

    [Fact]
    public async Task RepeatedWrongCurrentPasswords_AreThrottledLikeASignIn()
    {
        var (client, _, _) = await app.CreateUserClientAsync();
        HttpResponseMessage last = new(HttpStatusCode.OK);
        for (var i = 0; i < 12 && last.StatusCode != HttpStatusCode.TooManyRequests; i++)
            last = await client.PostAsJsonAsync("/api/me/password", new { currentPassword = $"wrong-password-{i}", newPassword = NewPassword });
        await last.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
    }

    [Fact]
    public async Task AnAccountWithoutAPassword_IsToldPasswordNotSet()
    {
        var client = await PasswordlessClientAsync();

        await (await client.PostAsJsonAsync("/api/me/password", new { currentPassword = "anything-at-all", newPassword = NewPassword }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "password_not_set");
        await (await client.PostAsJsonAsync("/api/me/email", new { currentPassword = "anything-at-all", newEmail = "new-address@test.local" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "password_not_set");
    }

    [Fact]
    public async Task ChangingTheEmail_MailsALinkToTheNewAddress_ChangesOnlyWhenOpened_ThenTellsTheOldAddress()
    {
        var (client, userId, oldEmail) = await app.CreateUserClientAsync(displayName: "Claire Dubois", language: "fr");
        var newEmail = $"claire-{Guid.NewGuid():N}@test.local";

        var asked = await client.PostAsJsonAsync("/api/me/email", new { currentPassword = TicketingApp.Password, newEmail });
        Assert.Equal(HttpStatusCode.Accepted, asked.StatusCode);

        var (mail, link) = await NextLinkAsync();
        Assert.Equal(newEmail, mail.To.Mailboxes.Single().Address);
        Assert.Equal("Confirmez votre nouvelle adresse e-mail Ticketing", mail.Subject);
        Assert.Contains("Claire Dubois", mail.TextBody);
        // Nothing changed yet: the account keeps its address and its session.
        Assert.Equal(oldEmail, (await (await client.GetAsync("/api/me")).ReadJsonAsync()).GetProperty("email").GetString());

        var query = QueryHelpers.ParseQuery(link.Query);
        Assert.Equal(userId.ToString(), query["userId"].ToString());
        Assert.Equal(newEmail, query["email"].ToString());
        var body = new { userId, email = newEmail, token = query["token"].ToString() };
        Assert.Equal(HttpStatusCode.NoContent, (await app.CreateClient().PostAsJsonAsync("/api/auth/confirm-email-change", body)).StatusCode);
        // Opened again (a mail scanner): still 204, nothing more.
        Assert.Equal(HttpStatusCode.NoContent, (await app.CreateClient().PostAsJsonAsync("/api/auth/confirm-email-change", body)).StatusCode);

        // The sessions are signed out; the new address signs in, confirmed; the old one no longer does.
        await (await client.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        var me = await (await (await app.ClientForAsync(newEmail, TicketingApp.Password)).GetAsync("/api/me")).ReadJsonAsync();
        Assert.Equal(newEmail, me.GetProperty("email").GetString());
        Assert.True(me.GetProperty("emailConfirmed").GetBoolean());
        await (await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { email = oldEmail, password = TicketingApp.Password }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");

        // The old address is told, in the account's language, without a link.
        var before = Smtp.Messages.Count;
        await data.DispatchAsync();
        var notice = Smtp.Messages.Skip(before).Single();
        Assert.Equal(oldEmail, notice.To.Mailboxes.Single().Address);
        Assert.Equal("L’adresse e-mail de votre compte Ticketing a changé", notice.Subject);
        Assert.DoesNotContain("https://", notice.TextBody);
        Assert.Equal(1, await CountAsync(NotificationKind.EmailChanged));
    }

    [Fact]
    public async Task TheChangeLink_OpensOnThePage_AndAForgedOrForeignLinkIsRefused()
    {
        var (client, userId, _) = await app.CreateUserClientAsync();
        var (_, otherId, _) = await app.CreateUserClientAsync();
        var newEmail = $"moved-{Guid.NewGuid():N}@test.local";
        Assert.Equal(HttpStatusCode.Accepted,
            (await client.PostAsJsonAsync("/api/me/email", new { currentPassword = TicketingApp.Password, newEmail })).StatusCode);
        var (_, link) = await NextLinkAsync();
        var token = QueryHelpers.ParseQuery(link.Query)["token"].ToString();
        var anonymous = app.CreateClient();

        foreach (var body in new object[]
                 {
                     new { userId, email = newEmail, token = token[..^4] + "AAAA" }, new { userId = otherId, email = newEmail, token },
                     new { userId, email = "someone-else@test.local", token }, new { userId, email = newEmail, token = "" },
                 })
            await (await anonymous.PostAsJsonAsync("/api/auth/confirm-email-change", body)).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_token");
        await (await client.GetAsync("/api/me")).ReadJsonAsync(); // nothing changed

        var page = await anonymous.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("email-change-done", await page.Content.ReadAsStringAsync());
        await app.ClientForAsync(newEmail, TicketingApp.Password);
    }

    [Fact]
    public async Task ChangingToAnAddressAnotherAccountHas_IsEmailTaken_AndAWrongPasswordSendsNothing()
    {
        var (client, _, _) = await app.CreateUserClientAsync();
        var (_, _, taken) = await app.CreateUserClientAsync();

        await (await client.PostAsJsonAsync("/api/me/email", new { currentPassword = TicketingApp.Password, newEmail = taken }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "email_taken");
        await (await client.PostAsJsonAsync("/api/me/email", new { currentPassword = "wrong-password-here", newEmail = "free@test.local" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden, "wrong_password");
        await (await client.PostAsJsonAsync("/api/me/email", new { currentPassword = TicketingApp.Password, newEmail = "not an address" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");

        Assert.Equal(0, await CountAsync(NotificationKind.EmailChange));
    }

    [Fact]
    public async Task AnAddressTakenBetweenTheRequestAndTheLink_IsEmailTaken_AndTheAccountKeepsItsAddress()
    {
        var (client, _, email) = await app.CreateUserClientAsync();
        var newEmail = $"race-{Guid.NewGuid():N}@test.local";
        Assert.Equal(HttpStatusCode.Accepted,
            (await client.PostAsJsonAsync("/api/me/email", new { currentPassword = TicketingApp.Password, newEmail })).StatusCode);
        var (_, link) = await NextLinkAsync();
        await app.CreateUserClientAsync(email: newEmail);

        var query = QueryHelpers.ParseQuery(link.Query);
        var userId = Guid.Parse(query["userId"].ToString());
        await (await app.CreateClient().PostAsJsonAsync("/api/auth/confirm-email-change", new { userId, email = newEmail, token = query["token"].ToString() }))
            .AssertProblemAsync(HttpStatusCode.Conflict, "email_taken");
        Assert.Equal(email, (await (await client.GetAsync("/api/me")).ReadJsonAsync()).GetProperty("email").GetString());
    }

    [Fact]
    public async Task TheExport_HoldsTheProfileOrdersTicketsNotificationsAndSignIns_OfThisAccountOnly()
    {
        var (client, userId, email) = await app.CreateUserClientAsync(displayName: "Claire Dubois");
        var (_, otherId, _) = await app.CreateUserClientAsync();
        var (_, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var mine = await data.PaidOrderAsync(userId, ownerId, tickets: 2);
        var theirs = await data.PaidOrderAsync(otherId, ownerId, tickets: 1);

        var answer = await client.GetAsync("/api/me/export");
        var export = await answer.ReadJsonAsync();

        Assert.Equal(email, export.GetProperty("profile").GetProperty("email").GetString());
        Assert.Equal("Claire Dubois", export.GetProperty("profile").GetProperty("displayName").GetString());
        var order = Assert.Single(export.GetProperty("orders").EnumerateArray());
        Assert.Equal(mine.Order.Id, order.GetProperty("id").GetGuid());
        Assert.Equal(2, export.GetProperty("tickets").GetArrayLength());
        Assert.All(export.GetProperty("tickets").EnumerateArray(), t => Assert.Equal(mine.Order.Id, t.GetProperty("orderId").GetGuid()));
        Assert.Contains(export.GetProperty("notifications").EnumerateArray(), n => n.GetProperty("kind").GetString() == "OrderConfirmed");
        Assert.True(export.GetProperty("signIns").GetArrayLength() >= 1);
        Assert.DoesNotContain(theirs.Order.Id.ToString(), await answer.Content.ReadAsStringAsync());

        await (await app.CreateClient().GetAsync("/api/me/export")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task DeletingTheAccount_NeedsThePassword_ThenErasesItLikeTheAdmin_AndKeepsTheOrders()
    {
        var (client, userId, email) = await app.CreateUserClientAsync(displayName: "Claire Dubois");
        var (_, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var paid = await data.PaidOrderAsync(userId, ownerId, tickets: 1);

        var wrong = new HttpRequestMessage(HttpMethod.Delete, "/api/me") { Content = JsonContent.Create(new { password = "not-my-password-at-all" }) };
        await (await client.SendAsync(wrong)).AssertProblemAsync(HttpStatusCode.Forbidden, "wrong_password");
        await (await client.GetAsync("/api/me")).ReadJsonAsync();

        var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/me") { Content = JsonContent.Create(new { password = TicketingApp.Password }) };
        Assert.Equal(HttpStatusCode.NoContent, (await client.SendAsync(delete)).StatusCode);

        await (await client.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { email, password = TicketingApp.Password }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == userId);
        Assert.NotNull(user.DeletedAt);
        Assert.DoesNotContain("Claire", user.DisplayName);
        Assert.NotEqual(email, user.Email);
        var order = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == paid.Order.Id);
        Assert.Equal("—", order.BuyerName);
        Assert.Equal(1, await db.Tickets.CountAsync(t => t.OrderId == paid.Order.Id));
    }

    [Fact]
    public async Task AnAccountWithoutAPassword_ErasesItselfWithTheMailedLink_OnceOnly()
    {
        var (client, userId, email) = await PasswordlessAsync();

        // No password to type: 202, a link goes to the account's address, nothing is erased yet.
        var asked = await (await client.DeleteAsync("/api/me")).ReadJsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(email, asked.GetProperty("email").GetString());
        Assert.True(asked.GetProperty("confirmationSent").GetBoolean());
        var before = Smtp.Messages.Count;
        await data.DispatchAsync();
        var mail = Smtp.Messages.Skip(before).Single();
        Assert.Equal(email, mail.To.Mailboxes.Single().Address);
        Assert.Equal("Confirm the erase of your Ticketing account", mail.Subject);
        var match = EraseLinkPattern().Match(mail.TextBody ?? "");
        Assert.True(match.Success, mail.TextBody);
        await (await client.GetAsync("/api/me")).ReadJsonAsync();

        var query = QueryHelpers.ParseQuery(new Uri(match.Value).Query);
        Assert.Equal(userId.ToString(), query["userId"].ToString());
        var token = query["token"].ToString();
        var anonymous = app.CreateClient();
        await (await anonymous.PostAsJsonAsync("/api/auth/confirm-erase", new { userId, token = token[..^3] + "xyz" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_token");
        await (await anonymous.PostAsJsonAsync("/api/auth/confirm-erase", new { userId = Guid.NewGuid(), token }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_token");
        await (await client.GetAsync("/api/me")).ReadJsonAsync(); // still there

        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.PostAsJsonAsync("/api/auth/confirm-erase", new { userId, token })).StatusCode);
        await (await client.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await anonymous.PostAsJsonAsync("/api/auth/confirm-erase", new { userId, token }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_token"); // once only
        await using var scope = app.Services.CreateAsyncScope();
        var user = await scope.ServiceProvider.GetRequiredService<TicketingDbContext>().Users.AsNoTracking().SingleAsync(u => u.Id == userId);
        Assert.NotNull(user.DeletedAt);
        Assert.NotEqual(email, user.Email);
    }

    [Fact]
    public async Task TheEraseLinkPage_OnlyAsks_ThenErasesOnItsButton()
    {
        var (client, userId, _) = await PasswordlessAsync();
        await (await client.DeleteAsync("/api/me")).ReadJsonAsync(HttpStatusCode.Accepted);
        var before = Smtp.Messages.Count;
        await data.DispatchAsync();
        var link = new Uri(EraseLinkPattern().Match(Smtp.Messages.Skip(before).Single().TextBody ?? "").Value);

        // Opening the link (a mail scanner does) erases nothing.
        var browser = app.CreateClient();
        var page = await browser.GetStringAsync(link.PathAndQuery);
        Assert.Contains("data-testid=\"erase-confirm\"", page);
        await (await client.GetAsync("/api/me")).ReadJsonAsync();
        Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync("/account/erase?userId=" + userId)).StatusCode);

        // The button posts the form with its antiforgery token.
        var form = await FormFieldsAsync(page);
        var done = await browser.PostAsync(link.PathAndQuery, new FormUrlEncodedContent(form));
        var body = await done.Content.ReadAsStringAsync();
        Assert.True(done.IsSuccessStatusCode, body);
        Assert.Contains("data-testid=\"erase-done\"", body);
        await (await client.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    private static Task<Dictionary<string, string>> FormFieldsAsync(string html)
    {
        var fields = new Dictionary<string, string>();
        foreach (Match m in Regex.Matches(html, "<input[^>]*type=\"hidden\"[^>]*>"))
        {
            var name = Regex.Match(m.Value, "name=\"([^\"]+)\"").Groups[1].Value;
            var value = Regex.Match(m.Value, "value=\"([^\"]*)\"").Groups[1].Value;
            if (name.Length > 0) fields[name] = System.Net.WebUtility.HtmlDecode(value);
        }
        return Task.FromResult(fields);
    }

    private async Task<(HttpClient Client, Guid UserId, string Email)> PasswordlessAsync()
    {
        var client = await PasswordlessClientAsync();
        var me = await (await client.GetAsync("/api/me")).ReadJsonAsync();
        return (client, me.GetProperty("id").GetGuid(), me.GetProperty("email").GetString()!);
    }

    [GeneratedRegex(@"https://tickets\.example\.com/account/erase\?\S+")]
    private static partial Regex EraseLinkPattern();

    private async Task<HttpClient> PasswordlessClientAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var email = $"oidc-{Guid.NewGuid():N}@test.local";
        var user = new AppUser { Id = Guid.CreateVersion7(), UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Via OIDC", CreatedAt = app.Clock.GetUtcNow() };
        Assert.True((await users.CreateAsync(user)).Succeeded);
        Assert.True((await users.AddToRoleAsync(user, Roles.Customer)).Succeeded);
        var token = scope.ServiceProvider.GetRequiredService<TokenService>().Mint(user, [Roles.Customer]);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task<(MimeMessage Mail, Uri Link)> NextLinkAsync()
    {
        var before = Smtp.Messages.Count;
        await data.DispatchAsync();
        var mail = Smtp.Messages.Skip(before).Single();
        var match = LinkPattern().Match(mail.TextBody ?? "");
        Assert.True(match.Success, mail.TextBody);
        return (mail, new Uri(match.Value));
    }

    private async Task<int> CountAsync(NotificationKind kind)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TicketingDbContext>().Notifications.CountAsync(n => n.Kind == kind);
    }

    [GeneratedRegex(@"https://tickets\.example\.com/account/confirm-email\?\S+")]
    private static partial Regex LinkPattern();
}

public sealed class SqliteAccountSecurityTests(SmtpSqliteApp app) : AccountSecurityTests(app), IClassFixture<SmtpSqliteApp>;

public sealed class PostgresAccountSecurityTests(SmtpPostgresApp app) : AccountSecurityTests(app), IClassFixture<SmtpPostgresApp>;
