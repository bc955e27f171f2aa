using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Accounts;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Accounts;

/// <summary>
/// "Sign in with …" against a real OpenID Connect provider process (npm oidc-provider): the browser's part is played
/// by two cookie-keeping HTTP clients (ours on the TestServer, one on the provider's real socket); the app talks to
/// the provider's token and userinfo endpoints itself. First sign-in creates the account, a verified email links the
/// existing one, an unverified email never does, the provider's role maps to ours, and every failure ends on the
/// localized error page.
/// </summary>
public abstract partial class ExternalSignInTests(OidcTicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task FirstSignIn_CreatesAnAccountWithAConfirmedEmail_AndTheNextSignInFindsTheSameAccount()
    {
        var email = $"fan-{Guid.NewGuid():N}@idp.test";
        var (client, landing) = await SignInThroughProviderAsync(email);
        Assert.Equal("/account", landing);
        var me = await (await client.GetAsync("/api/me")).ReadJsonAsync();
        Assert.Equal(email, me.GetProperty("email").GetString());
        Assert.Equal($"Fan {email.Split('@')[0]}", me.GetProperty("displayName").GetString());
        Assert.Equal(["Customer"], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        var id = me.GetProperty("id").GetGuid();
        var user = await FindAsync(email);
        Assert.True(user!.EmailConfirmed);
        Assert.Null(user.PasswordHash);

        var (again, _) = await SignInThroughProviderAsync(email);
        Assert.Equal(id, (await (await again.GetAsync("/api/me")).ReadJsonAsync()).GetProperty("id").GetGuid());
        Assert.Equal(["test"], await LoginsAsync(email));
    }

    [Fact]
    public async Task AVerifiedEmail_LinksTheExistingAccount_WhosePasswordStillWorks()
    {
        var email = $"fan-{Guid.NewGuid():N}@idp.test";
        var (_, userId, _) = await app.CreateUserClientAsync(email: email);

        var (client, landing) = await SignInThroughProviderAsync(email);
        Assert.Equal("/account", landing);
        Assert.Equal(userId, (await (await client.GetAsync("/api/me")).ReadJsonAsync()).GetProperty("id").GetGuid());
        Assert.Equal(["test"], await LoginsAsync(email));
        await app.ClientForAsync(email, TicketingApp.Password);
    }

    [Fact]
    public async Task AnUnverifiedEmail_NeverLinksNorCreatesAnAccount()
    {
        var existing = $"unverified-{Guid.NewGuid():N}@idp.test";
        await app.CreateUserClientAsync(email: existing);
        var (client, landing) = await SignInThroughProviderAsync(existing);
        Assert.Equal("/account/external-error?code=external_email_unverified", landing);
        Assert.Empty(await LoginsAsync(existing));
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);

        var unknown = $"unverified-{Guid.NewGuid():N}@idp.test";
        (_, landing) = await SignInThroughProviderAsync(unknown);
        Assert.Equal("/account/external-error?code=external_email_unverified", landing);
        Assert.Null(await FindAsync(unknown));

        var page = await client.GetStringAsync(landing);
        Assert.Contains("The provider has not verified your email address", page);
    }

    [Fact]
    public async Task TheProvidersRoleClaim_IsMappedToOrganizer()
    {
        var email = $"organizer-{Guid.NewGuid():N}@idp.test";
        var (client, _) = await SignInThroughProviderAsync(email);
        var roles = (await (await client.GetAsync("/api/me")).ReadJsonAsync()).GetProperty("roles").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.Contains("Organizer", roles);
        Assert.Contains("Customer", roles);
    }

    [Fact]
    public async Task DeniedConsent_LandsOnTheLocalizedErrorPage()
    {
        var (client, landing) = await SignInThroughProviderAsync($"fan-{Guid.NewGuid():N}@idp.test", deny: true);
        Assert.Equal("/account/external-error?code=external_access_denied", landing);
        var en = await client.GetAsync(landing);
        Assert.Equal(HttpStatusCode.OK, en.StatusCode);
        Assert.Contains("You did not allow the sign-in at the provider.", await en.Content.ReadAsStringAsync());
        var fr = await client.GetStringAsync(landing + "&culture=fr");
        Assert.Contains("Vous n’avez pas autorisé la connexion chez le fournisseur.", fr);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task AProviderThatIsDown_LandsOnTheErrorPage_NotA500()
    {
        var client = Browser();
        var start = await client.GetAsync("/account/external/down?returnUrl=%2Faccount");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.Equal("/account/external-error?code=external_provider_unavailable", start.Headers.Location!.OriginalString);
        var page = await client.GetStringAsync(start.Headers.Location);
        Assert.Contains("The sign-in provider is not answering right now.", page);
    }

    [Fact]
    public async Task AForgedAnswerOrAnUnknownProvider_LandsOnTheErrorPage()
    {
        var client = Browser();
        var forged = await client.GetAsync("/signin-oidc-test?code=stolen&state=forged");
        Assert.Equal(HttpStatusCode.Redirect, forged.StatusCode);
        Assert.Equal("/account/external-error?code=external_sign_in_failed", forged.Headers.Location!.OriginalString);
        var unknown = await client.GetAsync("/account/external/nobody");
        Assert.Equal("/account/external-error?code=external_sign_in_failed", unknown.Headers.Location!.OriginalString);
        // The page shows our own text for our own codes only.
        var page = await client.GetStringAsync("/account/external-error?code=%3Cscript%3E");
        Assert.DoesNotContain("<script>", page);
        Assert.Contains("The sign-in could not be completed", page);
    }

    [Fact]
    public async Task TheSignInPage_OffersEachProvider()
    {
        var page = await Browser().GetStringAsync("/account/login?returnUrl=%2Fevents");
        Assert.Contains("id=\"external-test\"", page);
        Assert.Contains("href=\"/account/external/test?returnUrl=%2Fevents\"", page);
        Assert.Contains("Sign in with Test ID", page);
        Assert.Contains("Sign in with Down ID", page);
    }

    private HttpClient Browser() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Clicks "Sign in with Test ID", signs in at the provider (or cancels), and returns where the app finally sends the browser.</summary>
    private async Task<(HttpClient Client, string Landing)> SignInThroughProviderAsync(string login, bool deny = false)
    {
        var client = Browser();
        var start = await client.GetAsync("/account/external/test?returnUrl=%2Faccount");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var url = start.Headers.Location!;
        Assert.StartsWith(app.Oidc.Issuer + "/auth?", url.ToString());
        using var provider = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() });
        for (var hops = 0; hops < 20; hops++)
        {
            if (url.Host == "localhost")
            {
                // Back at the app: the callback, then our own redirects to the landing page.
                var answer = await client.GetAsync(url.PathAndQuery);
                while (answer.StatusCode == HttpStatusCode.Redirect && answer.Headers.Location!.OriginalString.StartsWith("/account/external/callback"))
                    answer = await client.GetAsync(answer.Headers.Location);
                Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
                return (client, answer.Headers.Location!.OriginalString);
            }
            var response = await provider.GetAsync(url);
            if ((int)response.StatusCode is >= 300 and < 400) { url = new Uri(url, response.Headers.Location!); continue; }
            var html = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, html);
            if (deny)
            {
                url = new Uri(url, WebUtility.HtmlDecode(AbortLink().Match(html).Groups[1].Value));
                continue;
            }
            var action = new Uri(url, WebUtility.HtmlDecode(FormAction().Match(html).Groups[1].Value));
            var form = html.Contains("value=\"login\"")
                ? new Dictionary<string, string> { ["prompt"] = "login", ["login"] = login, ["password"] = "any password" }
                : new Dictionary<string, string> { ["prompt"] = "consent" };
            var posted = await provider.PostAsync(action, new FormUrlEncodedContent(form));
            Assert.True((int)posted.StatusCode is >= 300 and < 400, await posted.Content.ReadAsStringAsync());
            url = new Uri(action, posted.Headers.Location!);
        }
        throw new InvalidOperationException("The provider never sent the browser back");
    }

    private async Task<AppUser?> FindAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(email);
    }

    private async Task<List<string>> LoginsAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByEmailAsync(email);
        return user is null ? [] : (await users.GetLoginsAsync(user)).Select(l => l.LoginProvider).ToList();
    }

    [GeneratedRegex("action=\"([^\"]+)\"")]
    private static partial Regex FormAction();

    [GeneratedRegex("href=\"([^\"]+/abort)\"")]
    private static partial Regex AbortLink();
}

public sealed class SqliteExternalSignInTests(OidcSqliteApp app) : ExternalSignInTests(app), IClassFixture<OidcSqliteApp>;

public sealed class PostgresExternalSignInTests(OidcPostgresApp app) : ExternalSignInTests(app), IClassFixture<OidcPostgresApp>;
