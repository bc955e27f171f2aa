using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MimeKit;
using Ticketing.Core.Accounts;
using Ticketing.Core.Notifications;
using Ticketing.Core.Persistence;
using Ticketing.Tests.Infrastructure;
using Ticketing.Tests.Integration.Notifications;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Accounts;

/// <summary>
/// Email confirmation through the API, the outbox and a real SMTP server: a mail at registration, a link that confirms
/// (Auth:EmailTokenHours, 48), a resend, and Auth:RequireConfirmedEmail refusing to sell until the address is confirmed.
/// </summary>
public abstract partial class EmailConfirmationTests(SmtpTicketingApp app) : IAsyncLifetime
{
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
    public async Task RegisteringMailsALink_InTheAccountsLanguage_ThatConfirmsTheAddress()
    {
        var (client, email) = await RegisterAsync("fr");
        Assert.False((await Me(client)).GetProperty("emailConfirmed").GetBoolean());

        var (mail, link) = await NextLinkAsync();
        Assert.Equal(email, mail.To.Mailboxes.Single().Address);
        Assert.Equal("Confirmez votre adresse e-mail Ticketing", mail.Subject);
        Assert.Contains("Camille Martin", mail.TextBody);
        Assert.Contains("48\u00a0heures", mail.TextBody);
        Assert.Contains(WebUtility.HtmlEncode(link.ToString()), mail.HtmlBody);
        var (userId, token) = Query(link);

        var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.PostAsJsonAsync("/api/auth/confirm-email", new { userId, token })).StatusCode);
        Assert.True((await Me(client)).GetProperty("emailConfirmed").GetBoolean());
        // The link opened again (a mail scanner, a second click) changes nothing and still answers 204.
        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.PostAsJsonAsync("/api/auth/confirm-email", new { userId, token })).StatusCode);
    }

    [Fact]
    public async Task TheConfirmationPage_ConfirmsFromTheLink_AndABadLinkSaysSoWith400()
    {
        var (client, _) = await RegisterAsync("en");
        var (_, link) = await NextLinkAsync();
        var page = app.CreateClient();

        var bad = await page.GetAsync(link.PathAndQuery[..^3] + "AAA");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("confirm-invalid", await bad.Content.ReadAsStringAsync());
        Assert.False((await Me(client)).GetProperty("emailConfirmed").GetBoolean());

        var good = await page.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Contains("your email address is confirmed", await good.Content.ReadAsStringAsync());
        Assert.True((await Me(client)).GetProperty("emailConfirmed").GetBoolean());
    }

    [Fact]
    public async Task AWrongToken_AnotherAccountsToken_OrAnExpiredOne_IsInvalidToken()
    {
        var (alice, _) = await RegisterAsync("en");
        var (_, aliceLink) = await NextLinkAsync();
        var (bob, _) = await RegisterAsync("en");
        var (_, bobLink) = await NextLinkAsync();
        var (aliceId, aliceToken) = Query(aliceLink);
        var (bobId, _) = Query(bobLink);
        var client = app.CreateClient();

        foreach (var body in new object[]
                 {
                     new { userId = aliceId, token = "not-a-token" }, new { userId = aliceId, token = aliceToken[..^4] + "AAAA" },
                     new { userId = bobId, token = aliceToken }, new { userId = Guid.NewGuid(), token = aliceToken }, new { token = aliceToken },
                 })
            await (await client.PostAsJsonAsync("/api/auth/confirm-email", body)).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_token");
        Assert.False((await Me(alice)).GetProperty("emailConfirmed").GetBoolean());
        Assert.False((await Me(bob)).GetProperty("emailConfirmed").GetBoolean());

        app.Clock.Advance(TimeSpan.FromHours(49));
        await (await client.PostAsJsonAsync("/api/auth/confirm-email", new { userId = aliceId, token = aliceToken }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_token");
    }

    [Fact]
    public async Task Resend_MailsANewLink_OnceWhileOneIsWaiting_AndNothingOnceConfirmed()
    {
        var (client, email) = await RegisterAsync("en");
        await NextLinkAsync();

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/me/confirmation-email", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/me/confirmation-email", null)).StatusCode);
        var (mail, link) = await NextLinkAsync(); // one mail for the two clicks
        Assert.Equal(email, mail.To.Mailboxes.Single().Address);
        var (userId, token) = Query(link);
        Assert.Equal(HttpStatusCode.NoContent, (await app.CreateClient().PostAsJsonAsync("/api/auth/confirm-email", new { userId, token })).StatusCode);

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync("/api/me/confirmation-email", null)).StatusCode);
        await data.DispatchAsync();
        Assert.Equal(2, Smtp.Messages.Count);
        Assert.Equal(2, await CountAsync(NotificationKind.EmailConfirmation));
    }

    [Fact]
    public async Task WithRequireConfirmedEmail_BuyingIsRefused403_UntilTheAddressIsConfirmed()
    {
        var ev = await Event(app).WithCategory("Cat 1", 4500, 10).SaveAsync();
        var options = app.Services.GetRequiredService<IOptions<AuthOptions>>().Value;
        var (client, _) = await RegisterAsync("en");
        var (_, link) = await NextLinkAsync();
        options.RequireConfirmedEmail = true;
        try
        {
            var refused = await (await client.PostAsJsonAsync("/api/orders", Hold(ev, 2))).AssertProblemAsync(HttpStatusCode.Forbidden, "email_not_confirmed");
            Assert.Contains("Confirm your email address", refused.GetProperty("detail").GetString());
            Assert.Equal(0, (await CategoryAsync(app, ev.Categories[0].Id)).Held);

            var (userId, token) = Query(link);
            Assert.Equal(HttpStatusCode.NoContent, (await app.CreateClient().PostAsJsonAsync("/api/auth/confirm-email", new { userId, token })).StatusCode);
            await HoldAsync(client, ev, 2);
        }
        finally { options.RequireConfirmedEmail = false; }

        // Off (the default): an unconfirmed account buys.
        var (other, _) = await RegisterAsync("en");
        await HoldAsync(other, ev, 1);
    }

    private async Task<(HttpClient Client, string Email)> RegisterAsync(string language)
    {
        var email = $"fan-{Guid.NewGuid():N}@test.local";
        var created = await app.CreateClient().PostAsJsonAsync("/api/auth/register",
            new { email, password = TicketingApp.Password, displayName = "Camille Martin", preferredLanguage = language });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await app.ClientForAsync(email, TicketingApp.Password), email);
    }

    private static async Task<JsonElement> Me(HttpClient client) => await (await client.GetAsync("/api/me")).ReadJsonAsync();

    private async Task<(MimeMessage Mail, Uri Link)> NextLinkAsync()
    {
        var before = Smtp.Messages.Count;
        await data.DispatchAsync();
        var mail = Smtp.Messages.Skip(before).Single();
        var match = LinkPattern().Match(mail.TextBody ?? "");
        Assert.True(match.Success, mail.TextBody);
        return (mail, new Uri(match.Value));
    }

    private static (Guid UserId, string Token) Query(Uri link)
    {
        var query = QueryHelpers.ParseQuery(link.Query);
        return (Guid.Parse(query["userId"].ToString()), query["token"].ToString());
    }

    private async Task<int> CountAsync(NotificationKind kind)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TicketingDbContext>().Notifications.CountAsync(n => n.Kind == kind);
    }

    [GeneratedRegex(@"https://tickets\.example\.com/account/confirm-email\?\S+")]
    private static partial Regex LinkPattern();
}

public sealed class SqliteEmailConfirmationTests(SmtpSqliteApp app) : EmailConfirmationTests(app), IClassFixture<SmtpSqliteApp>;

public sealed class PostgresEmailConfirmationTests(SmtpPostgresApp app) : EmailConfirmationTests(app), IClassFixture<SmtpPostgresApp>;
