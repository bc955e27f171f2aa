using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
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
/// Password reset by email, end to end through the API, the outbox and a real SMTP server: the link in the mail works
/// once, for Auth:ResetTokenMinutes (60), and a reset ends every session of the account.
/// </summary>
public abstract partial class PasswordResetTests(SmtpTicketingApp app) : IAsyncLifetime
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
    public async Task TheMailedLinkResetsThePassword_AndEveryTokenIssuedBeforeStopsWorking()
    {
        var (_, userId, email) = await app.CreateUserClientAsync(Roles.Customer, displayName: "Claire Dubois", language: "fr");
        var client = app.CreateClient();
        var before = await (await client.PostAsJsonAsync("/api/auth/token", new { email, password = TicketingApp.Password })).ReadJsonAsync();

        var (mail, link) = await RequestLinkAsync(email);

        // In the account's language, to its address, with the absolute link to the reset page.
        Assert.Equal(email, mail.To.Mailboxes.Single().Address);
        Assert.Equal("Réinitialisez votre mot de passe Ticketing", mail.Subject);
        Assert.Contains("Claire Dubois", mail.TextBody);
        Assert.Contains("60 minutes", mail.TextBody);
        Assert.StartsWith("https://tickets.example.com/account/reset-password?", link.ToString());
        Assert.Contains(WebUtility.HtmlEncode(link.ToString()), mail.HtmlBody);
        var (linkEmail, token) = Query(link);
        Assert.Equal(email, linkEmail);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var row = await scope.ServiceProvider.GetRequiredService<TicketingDbContext>().Notifications
                .SingleAsync(n => n.Kind == NotificationKind.PasswordReset);
            Assert.Equal((NotificationStatus.Sent, "fr", userId), (row.Status, row.Language, row.UserId));
        }

        var reset = await client.PostAsJsonAsync("/api/auth/reset-password", new { email = linkEmail, token, newPassword = NewPassword });
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);

        // The new password signs in, the old one no longer does.
        await (await client.PostAsJsonAsync("/api/auth/token", new { email, password = NewPassword })).ReadJsonAsync();
        await (await client.PostAsJsonAsync("/api/auth/token", new { email, password = TicketingApp.Password }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");

        // The access and refresh tokens issued before the reset are refused.
        var old = app.CreateClient();
        old.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", before.GetProperty("accessToken").GetString());
        await (await old.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = before.GetProperty("refreshToken").GetString() }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
    }

    [Fact]
    public async Task TheLinkWorksOnce_TheSecondUseIsInvalidToken()
    {
        var (_, _, email) = await app.CreateUserClientAsync();
        var (_, link) = await RequestLinkAsync(email);
        var (_, token) = Query(link);
        var client = app.CreateClient();

        Assert.Equal(HttpStatusCode.NoContent,
            (await client.PostAsJsonAsync("/api/auth/reset-password", new { email, token, newPassword = NewPassword })).StatusCode);
        var again = await client.PostAsJsonAsync("/api/auth/reset-password", new { email, token, newPassword = NewPassword + "2" });

        var problem = await again.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_token");
        Assert.Equal("This link is invalid or has expired. Ask for a new one.", problem.GetProperty("detail").GetString());
        await (await client.PostAsJsonAsync("/api/auth/token", new { email, password = NewPassword })).ReadJsonAsync();
    }

    [Fact]
    public async Task ALinkWorksForSixtyMinutes_ThenItIsInvalidToken_AndThePasswordStays()
    {
        var (_, _, email) = await app.CreateUserClientAsync();
        var client = app.CreateClient();

        var (_, expired) = await RequestLinkAsync(email);
        app.Clock.Advance(TimeSpan.FromMinutes(61));
        await (await client.PostAsJsonAsync("/api/auth/reset-password", new { email, token = Query(expired).Token, newPassword = NewPassword }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_token");
        await (await client.PostAsJsonAsync("/api/auth/token", new { email, password = TicketingApp.Password })).ReadJsonAsync();

        var (_, fresh) = await RequestLinkAsync(email);
        app.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(HttpStatusCode.NoContent,
            (await client.PostAsJsonAsync("/api/auth/reset-password", new { email, token = Query(fresh).Token, newPassword = NewPassword })).StatusCode);
    }

    [Fact]
    public async Task AnUnknownAddress_Answers202LikeAKnownOne_AndNoMailLeaves()
    {
        var (_, _, known) = await app.CreateUserClientAsync();
        var client = app.CreateClient();

        var unknownAnswer = await client.PostAsJsonAsync("/api/auth/forgot-password", new { email = "nobody-here@test.local" });
        var knownAnswer = await client.PostAsJsonAsync("/api/auth/forgot-password", new { email = known });

        Assert.Equal(HttpStatusCode.Accepted, unknownAnswer.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, knownAnswer.StatusCode);
        Assert.Equal(await knownAnswer.Content.ReadAsStringAsync(), await unknownAnswer.Content.ReadAsStringAsync());
        // The same work for both: one queued row each, the account looked up only at delivery.
        Assert.Equal(2, await CountAsync(NotificationKind.PasswordReset));

        await data.DispatchAsync();

        var mail = Assert.Single(Smtp.Messages);
        Assert.Equal(known, mail.To.Mailboxes.Single().Address);
        Assert.Equal("Reset your Ticketing password", mail.Subject);
        Assert.Equal(1, await CountAsync(NotificationKind.PasswordReset)); // the stranger's address is not kept
    }

    [Fact]
    public async Task AWrongToken_OrAnotherAccountsToken_IsInvalidToken_AndChangesNothing()
    {
        var (_, _, alice) = await app.CreateUserClientAsync();
        var (_, _, bob) = await app.CreateUserClientAsync();
        var (_, link) = await RequestLinkAsync(alice);
        var aliceToken = Query(link).Token;
        var client = app.CreateClient();

        foreach (var (email, token) in new[] { (alice, "not-a-token"), (alice, aliceToken[..^4] + "AAAA"), (bob, aliceToken), ("nobody@test.local", aliceToken) })
            await (await client.PostAsJsonAsync("/api/auth/reset-password", new { email, token, newPassword = NewPassword }))
                .AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_token");

        await (await client.PostAsJsonAsync("/api/auth/token", new { email = bob, password = TicketingApp.Password })).ReadJsonAsync();
        // Alice's own link still works after all that.
        Assert.Equal(HttpStatusCode.NoContent,
            (await client.PostAsJsonAsync("/api/auth/reset-password", new { email = alice, token = aliceToken, newPassword = NewPassword })).StatusCode);
    }

    [Fact]
    public async Task AWeakNewPassword_Answers400WithThePolicysMessage_AndTheLinkStillWorks()
    {
        var (_, _, email) = await app.CreateUserClientAsync();
        var (_, link) = await RequestLinkAsync(email);
        var token = Query(link).Token;
        var client = app.CreateClient();

        var weak = await client.PostAsJsonAsync("/api/auth/reset-password", new { email, token, newPassword = "short" });

        var problem = await weak.AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        var messages = problem.GetProperty("errors").GetProperty("newPassword").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.NotEmpty(messages);
        Assert.All(messages, m => Assert.False(string.IsNullOrWhiteSpace(m)));
        await (await client.PostAsJsonAsync("/api/auth/token", new { email, password = TicketingApp.Password })).ReadJsonAsync();
        Assert.Equal(HttpStatusCode.NoContent,
            (await client.PostAsJsonAsync("/api/auth/reset-password", new { email, token, newPassword = NewPassword })).StatusCode);
    }

    [Fact]
    public async Task AMalformedAddress_Answers400_AndQueuesNothing()
    {
        var client = app.CreateClient();
        await (await client.PostAsJsonAsync("/api/auth/forgot-password", new { email = "not an address" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation_failed");
        Assert.Equal(0, await CountAsync(NotificationKind.PasswordReset));
    }

    private async Task<(MimeMessage Mail, Uri Link)> RequestLinkAsync(string email)
    {
        var before = Smtp.Messages.Count;
        var answer = await app.CreateClient().PostAsJsonAsync("/api/auth/forgot-password", new { email });
        Assert.Equal(HttpStatusCode.Accepted, answer.StatusCode);
        Assert.Equal(before, Smtp.Messages.Count); // the answer never waits for the mail
        await data.DispatchAsync();
        var mail = Smtp.Messages.Skip(before).Single();
        var match = LinkPattern().Match(mail.TextBody ?? "");
        Assert.True(match.Success, mail.TextBody);
        return (mail, new Uri(match.Value));
    }

    private static (string Email, string Token) Query(Uri link)
    {
        var query = QueryHelpers.ParseQuery(link.Query);
        return (query["email"].ToString(), query["token"].ToString());
    }

    private async Task<int> CountAsync(NotificationKind kind)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TicketingDbContext>();
        return await db.Notifications.CountAsync(n => n.Kind == kind);
    }

    [GeneratedRegex(@"https://tickets\.example\.com/account/reset-password\?\S+")]
    private static partial Regex LinkPattern();
}

public sealed class SqlitePasswordResetTests(SmtpSqliteApp app) : PasswordResetTests(app), IClassFixture<SmtpSqliteApp>;

public sealed class PostgresPasswordResetTests(SmtpPostgresApp app) : PasswordResetTests(app), IClassFixture<SmtpPostgresApp>;
