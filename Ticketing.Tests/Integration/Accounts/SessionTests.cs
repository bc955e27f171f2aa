using System.Net;
using System.Security.Claims;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Ticketing.Core.Accounts;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Accounts;

/// <summary>
/// Sessions follow the account: access tokens and sign-in cookies stop after a demotion, a lock, a deletion, a sign-out
/// or a password change; refresh tokens rotate and a reused one revokes its family; cookie API writes need origin proof;
/// wrong passwords are throttled per account and client.
/// </summary>
public abstract partial class SessionTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string> Changes => new() { "demote", "lock", "delete", "logout", "password" };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task ABearerTokenIssuedBeforeAnAccountChange_IsRefusedAtOnce(string change)
    {
        var (client, userId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        await (await client.GetAsync("/api/me")).ReadJsonAsync();

        await ChangeAsync(change, userId, client);

        await (await client.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task ASignInCookieIssuedBeforeAnAccountChange_IsRefusedAtOnce(string change)
    {
        var email = await CreateUserAsync(Roles.Organizer);
        var cookie = await SignInWithTheFormAsync(app, email);
        var browser = CookieClient(app, cookie);
        await (await browser.GetAsync("/api/me")).ReadJsonAsync();
        var userId = (await (await browser.GetAsync("/api/me")).ReadJsonAsync()).GetProperty("id").GetGuid();

        await ChangeAsync(change, userId, browser);

        // A copy of the cookie taken before the change (a replay after sign-out included) no longer opens anything.
        await (await CookieClient(app, cookie).GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task SigningOutWithTheForm_RefusesAReplayOfTheCookie()
    {
        var email = await CreateUserAsync(Roles.Customer);
        var cookie = await SignInWithTheFormAsync(app, email);
        // The sign-out form's antiforgery token, as any page with a form gives it to the signed-in user.
        var page = await CookieClient(app, cookie).GetAsync("/account/login");
        var antiforgeryCookie = page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])
            .Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        var signedOut = await CookieClient(app, cookie + "; " + antiforgeryCookie).PostAsync("/account/logout",
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = AntiforgeryField(await page.Content.ReadAsStringAsync()), ["returnUrl"] = "/",
            }));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);

        await (await CookieClient(app, cookie).GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task AnotherInstance_RefusesARevokedBearerTokenAndCookieWithinTheRevalidationWindow()
    {
        var (client, userId, email) = await app.CreateUserClientAsync(Roles.Organizer);
        var cookie = await SignInWithTheFormAsync(app, email);
        var token = client.DefaultRequestHeaders.Authorization!;
        await using var other = app.WithWebHostBuilder(_ => { });
        var onOther = other.CreateClient();
        onOther.DefaultRequestHeaders.Authorization = token;
        var cookieOnOther = CookieClient(other, cookie);
        await (await onOther.GetAsync("/api/me")).ReadJsonAsync(); // the other instance has read the account now
        await (await cookieOnOther.GetAsync("/api/me")).ReadJsonAsync();

        var admin = await app.AdminClientAsync();
        (await admin.PutAsJsonAsync($"/api/users/{userId}", new { displayName = "Demoted", roles = new[] { "Customer" } })).EnsureSuccessStatusCode();
        await (await client.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized"); // this instance: at once

        app.Clock.Advance(TimeSpan.FromSeconds(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthOptions>>().Value.RevalidateSeconds));
        await (await onOther.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await cookieOnOther.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    /// <summary>
    /// A sign-out then a sign-in on one instance: the new token works at once on another instance that read the account
    /// before the sign-out (it postdates that read, so the other instance asks the database again instead of refusing it
    /// for Auth:RevalidateSeconds), and that read ends the old token there at once. Found by the journeys behind nginx.
    /// </summary>
    [Fact]
    public async Task ANewTokenAfterASignOutOnAnotherInstance_IsAcceptedAtOnce_AndEndsTheOldOneThere()
    {
        var (client, _, email) = await app.CreateUserClientAsync(Roles.Organizer);
        await using var other = app.WithWebHostBuilder(_ => { });
        var oldOnOther = other.CreateClient();
        oldOnOther.DefaultRequestHeaders.Authorization = client.DefaultRequestHeaders.Authorization;
        await (await oldOnOther.GetAsync("/api/me")).ReadJsonAsync(); // the other instance has read the account now

        (await client.PostAsync("/api/auth/logout", null)).EnsureSuccessStatusCode();
        var token = (await (await app.CreateClient().PostAsJsonAsync("/api/auth/token", new { email, password = TicketingApp.Password }))
            .ReadJsonAsync()).GetProperty("accessToken").GetString();
        var newOnOther = other.CreateClient();
        newOnOther.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        await (await newOnOther.GetAsync("/api/me")).ReadJsonAsync();
        await (await oldOnOther.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await (await newOnOther.GetAsync("/api/me")).ReadJsonAsync();
    }

    [Theory]
    [InlineData(SecurityAlgorithms.HmacSha256, HttpStatusCode.OK)]
    [InlineData(SecurityAlgorithms.HmacSha384, HttpStatusCode.Unauthorized)]
    [InlineData(SecurityAlgorithms.HmacSha512, HttpStatusCode.Unauthorized)]
    public async Task OnlyHs256TokensAreAccepted_AndARefusalGivesNoErrorDetails(string algorithm, HttpStatusCode expected)
    {
        var (client, _, _) = await app.CreateUserClientAsync();
        var issued = new JsonWebTokenHandler().ReadJsonWebToken(client.DefaultRequestHeaders.Authorization!.Parameter!);
        // The same claims, signed with the app's own key, with the given algorithm.
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(issued.Claims.Where(c => c.Type is not ("iat" or "exp" or "nbf" or "aud" or "iss"))),
            Issuer = issued.Issuer, Audience = issued.Audiences.Single(), Expires = DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(app.Services.GetRequiredService<JwtKeyProvider>().Key, algorithm),
        });
        var other = app.CreateClient();
        other.DefaultRequestHeaders.Authorization = new("Bearer", token);

        var response = await other.GetAsync("/api/me");

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Unauthorized)
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().ToString()); // no error="invalid_token", no description
    }

    [Fact]
    public async Task ManyRequestsWithOneToken_ReadTheAccountFromTheDatabaseOncePerWindow()
    {
        var (client, _, _) = await app.CreateUserClientAsync();
        var stamps = app.Services.GetRequiredService<AccountStampCache>();
        app.Clock.Freeze(); // the window is counted on the app's clock: a loaded machine must not end it before the 300 requests do
        await (await client.GetAsync("/api/me")).ReadJsonAsync();
        var before = stamps.DatabaseReads;
        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => client.GetAsync("/api/me")));
        for (var i = 0; i < 100; i++) await (await client.GetAsync("/api/me")).ReadJsonAsync();
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(0, stamps.DatabaseReads - before); // 300 authenticated requests, 0 reads: all answered from memory

        app.Clock.Advance(TimeSpan.FromSeconds(app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthOptions>>().Value.RevalidateSeconds));
        await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => client.GetAsync("/api/me")));
        Assert.Equal(1, stamps.DatabaseReads - before); // a new window: one read shared by 50 concurrent requests
    }

    [Fact]
    public async Task Token_AnswersAShortAccessTokenAndARefreshToken_ThatRotates()
    {
        var email = await CreateUserAsync(Roles.Customer);
        var client = app.CreateClient();
        var first = await (await client.PostAsJsonAsync("/api/auth/token", new { email, password = TicketingApp.Password })).ReadJsonAsync();
        Assert.InRange(first.GetProperty("expiresIn").GetInt32(), 1, 15 * 60);
        var refresh1 = first.GetProperty("refreshToken").GetString()!;

        var second = await (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = refresh1 })).ReadJsonAsync();
        var refresh2 = second.GetProperty("refreshToken").GetString()!;
        Assert.NotEqual(refresh1, refresh2);
        var fresh = app.CreateClient();
        fresh.DefaultRequestHeaders.Authorization = new("Bearer", second.GetProperty("accessToken").GetString());
        await (await fresh.GetAsync("/api/me")).ReadJsonAsync();

        var third = await (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = refresh2 })).ReadJsonAsync();
        Assert.NotEqual(refresh2, third.GetProperty("refreshToken").GetString());
    }

    [Fact]
    public async Task ReusingASpentRefreshToken_Is401AndRevokesTheWholeFamily()
    {
        var email = await CreateUserAsync(Roles.Customer);
        var client = app.CreateClient();
        var first = await (await client.PostAsJsonAsync("/api/auth/token", new { email, password = TicketingApp.Password })).ReadJsonAsync();
        var spent = first.GetProperty("refreshToken").GetString()!;
        var next = (await (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = spent })).ReadJsonAsync())
            .GetProperty("refreshToken").GetString()!;

        await (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = spent }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
        // The thief's replay ended the family: the legitimate holder's newer token is refused too.
        await (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = next }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
        // Another sign-in starts a new family.
        var again = await (await client.PostAsJsonAsync("/api/auth/token", new { email, password = TicketingApp.Password })).ReadJsonAsync();
        await (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = again.GetProperty("refreshToken").GetString() })).ReadJsonAsync();
    }

    [Fact]
    public async Task ParallelRefreshesWithOneToken_ExactlyOneWins()
    {
        var email = await CreateUserAsync(Roles.Customer);
        var client = app.CreateClient();
        var first = await (await client.PostAsJsonAsync("/api/auth/token", new { email, password = TicketingApp.Password })).ReadJsonAsync();
        var token = first.GetProperty("refreshToken").GetString()!;

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            app.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = token })));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        foreach (var loser in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
            await loser.AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
        // Reuse was detected, so the family is gone, the winner's new refresh token included.
        var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).ReadJsonAsync();
        await (await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken = winner.GetProperty("refreshToken").GetString() }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task ARefreshTokenIssuedBeforeAnAccountChange_IsRefused(string change)
    {
        var email = await CreateUserAsync(Roles.Organizer);
        var client = app.CreateClient();
        var first = await (await client.PostAsJsonAsync("/api/auth/token", new { email, password = TicketingApp.Password })).ReadJsonAsync();
        client.DefaultRequestHeaders.Authorization = new("Bearer", first.GetProperty("accessToken").GetString());
        var userId = (await (await client.GetAsync("/api/me")).ReadJsonAsync()).GetProperty("id").GetGuid();

        await ChangeAsync(change, userId, client);

        await (await app.CreateClient().PostAsJsonAsync("/api/auth/refresh", new { refreshToken = first.GetProperty("refreshToken").GetString() }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_refresh_token");
    }

    [Fact]
    public async Task ACrossOriginFormPostWithTheCookie_IsRefusedAndChangesNothing()
    {
        var email = await CreateUserAsync(Roles.Customer);
        var cookie = await SignInWithTheFormAsync(app, email);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["x"] = "1" }),
        };
        request.Headers.Add("Origin", "https://evil.example");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        // Even a custom header does not make a foreign origin acceptable.
        request.Headers.Add("X-CSRF", "1");

        await (await CookieClient(app, cookie).SendAsync(request)).AssertProblemAsync(HttpStatusCode.Forbidden, "origin_proof_required");
        await (await CookieClient(app, cookie).GetAsync("/api/me")).ReadJsonAsync(); // still signed in
    }

    [Fact]
    public async Task ATextPlainPostWithTheCookieButNoProof_IsRefused_AndTheSameWithTheProofHeaderSucceeds()
    {
        var email = await CreateUserAsync(Roles.Customer);
        var cookie = await SignInWithTheFormAsync(app, email);
        const string profile = """{"displayName":"Changed By Someone"}""";

        var plain = await CookieClient(app, cookie).PutAsync("/api/me", new StringContent(profile, Encoding.UTF8, "text/plain"));
        await plain.AssertProblemAsync(HttpStatusCode.Forbidden, "origin_proof_required");
        var unchanged = await (await CookieClient(app, cookie).GetAsync("/api/me")).ReadJsonAsync();
        Assert.NotEqual("Changed By Someone", unchanged.GetProperty("displayName").GetString());

        var ours = CookieClient(app, cookie);
        ours.DefaultRequestHeaders.Add("X-CSRF", "1");
        var sameOrigin = new HttpRequestMessage(HttpMethod.Put, "/api/me") { Content = new StringContent(profile, Encoding.UTF8, "application/json") };
        sameOrigin.Headers.Add("Origin", "http://localhost");
        sameOrigin.Headers.Add("Sec-Fetch-Site", "same-origin");
        var updated = await (await ours.SendAsync(sameOrigin)).ReadJsonAsync();
        Assert.Equal("Changed By Someone", updated.GetProperty("displayName").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await ours.PostAsync("/api/auth/logout", null)).StatusCode);
    }

    [Theory]
    [InlineData("/account", "account-security-link")]
    [InlineData("/account/security", "security-pw-save")]
    public async Task TheAccountPages_RenderForASignedInFan(string path, string testId)
    {
        // A component given both an explicit UserAttributes and unmatched attributes throws while rendering: the page
        // showed "Something went wrong" instead of My account.
        var email = await CreateUserAsync(Roles.Customer);
        var cookie = await SignInWithTheFormAsync(app, email);
        var page = await CookieClient(app, cookie).GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains($"data-testid=\"{testId}\"", html);
        Assert.DoesNotContain("Something went wrong", html);
    }

    [Fact]
    public async Task ACookieWriteWithAValidAntiforgeryTokenHeader_Succeeds_AndWithAForgedOneIsRefused()
    {
        var email = await CreateUserAsync(Roles.Customer);
        var cookie = await SignInWithTheFormAsync(app, email);
        var page = await CookieClient(app, cookie).GetAsync("/account/login"); // any page with a form gives the signed-in user a token
        var antiforgeryCookie = page.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])
            .Single(c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
        var token = AntiforgeryField(await page.Content.ReadAsStringAsync());
        var browser = CookieClient(app, cookie + "; " + antiforgeryCookie);

        var forged = new HttpRequestMessage(HttpMethod.Put, "/api/me") { Content = JsonContent.Create(new { displayName = "Forged" }) };
        forged.Headers.Add("X-CSRF-TOKEN", token[..^4] + "AAAA");
        await (await browser.SendAsync(forged)).AssertProblemAsync(HttpStatusCode.Forbidden, "origin_proof_required");

        var genuine = new HttpRequestMessage(HttpMethod.Put, "/api/me") { Content = JsonContent.Create(new { displayName = "With Token" }) };
        genuine.Headers.Add("X-CSRF-TOKEN", token);
        Assert.Equal("With Token", (await (await browser.SendAsync(genuine)).ReadJsonAsync()).GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task BearerWrites_NeedNoOriginProof()
    {
        var (client, _, _) = await app.CreateUserClientAsync();
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/me") { Content = JsonContent.Create(new { displayName = "Bearer Fan" }) };
        request.Headers.Add("Origin", "https://elsewhere.example");
        Assert.Equal("Bearer Fan", (await (await client.SendAsync(request)).ReadJsonAsync()).GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task AnAttackersWrongPasswords_ThrottleOnlyTheAttackersClient_NotTheOwnerSigningInElsewhere()
    {
        var email = await CreateUserAsync(Roles.Admin);
        await using var proxied = app.WithWebHostBuilder(b => b.UseSetting("Hosting:ForwardedHeaders", "true"));
        HttpClient From(string ip)
        {
            var c = proxied.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            c.DefaultRequestHeaders.Add("X-Forwarded-For", ip);
            return c;
        }
        var attacker = From("203.0.113.66");
        for (var i = 0; i < 5; i++)
            await (await attacker.PostAsJsonAsync("/api/auth/token", new { email, password = "Wrong-" + i }))
                .AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        var throttled = await (await attacker.PostAsJsonAsync("/api/auth/token", new { email, password = TicketingApp.Password }))
            .AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
        Assert.True(throttled.GetProperty("retryAfter").GetInt32() > 0);

        // The owner, from their own address, signs in at once, by the API and by the form.
        await (await From("198.51.100.7").PostAsJsonAsync("/api/auth/token", new { email, password = TicketingApp.Password })).ReadJsonAsync();
        await SignInWithTheFormAsync(proxied, email, From("198.51.100.8"));

        // The attacker's wait doubles with each further failure after it ends.
        app.Clock.Advance(TimeSpan.FromSeconds(throttled.GetProperty("retryAfter").GetInt32() + 1));
        await (await attacker.PostAsJsonAsync("/api/auth/token", new { email, password = "Wrong-again" }))
            .AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        var longer = await (await attacker.PostAsJsonAsync("/api/auth/token", new { email, password = TicketingApp.Password }))
            .AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
        Assert.True(longer.GetProperty("retryAfter").GetInt32() > throttled.GetProperty("retryAfter").GetInt32());
    }

    [Fact]
    public async Task UnknownAccounts_AreThrottledLikeKnownOnes()
    {
        var client = app.CreateClient();
        for (var i = 0; i < 5; i++)
            await (await client.PostAsJsonAsync("/api/auth/token", new { email = "nobody@example.com", password = "Wrong-" + i }))
                .AssertProblemAsync(HttpStatusCode.Unauthorized, "invalid_credentials");
        await (await client.PostAsJsonAsync("/api/auth/token", new { email = "nobody@example.com", password = "Wrong" }))
            .AssertProblemAsync(HttpStatusCode.TooManyRequests, "too_many_attempts");
    }

    [Fact]
    public async Task TheSignInForm_HasTheSameRateLimitAsTheApi()
    {
        var email = await CreateUserAsync(Roles.Customer);
        await using var limited = app.WithWebHostBuilder(b => b.UseSetting("RateLimiting:AuthPerMinute", "2"));
        var client = limited.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            var page = await client.GetAsync("/account/login"); // reading the page is not limited
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var post = await client.PostAsync("/account/login", LoginForm(AntiforgeryField(await page.Content.ReadAsStringAsync()), email, "Wrong-" + i));
            statuses.Add(post.StatusCode);
        }
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        var register = await client.PostAsync("/account/register", new FormUrlEncodedContent(new Dictionary<string, string> { ["_handler"] = "register" }));
        Assert.Equal(HttpStatusCode.TooManyRequests, register.StatusCode);
    }

    private async Task ChangeAsync(string change, Guid userId, HttpClient own)
    {
        var admin = await app.AdminClientAsync();
        switch (change)
        {
            case "demote":
                (await admin.PutAsJsonAsync($"/api/users/{userId}", new { displayName = "Demoted", roles = new[] { "Customer" } })).EnsureSuccessStatusCode();
                break;
            case "lock":
                (await admin.PutAsJsonAsync($"/api/users/{userId}", new { displayName = "Locked", roles = new[] { "Organizer" }, isLocked = true }))
                    .EnsureSuccessStatusCode();
                break;
            case "delete":
                Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/users/{userId}")).StatusCode);
                break;
            case "logout":
                var logout = new HttpRequestMessage(HttpMethod.Post, "/api/auth/logout");
                logout.Headers.Add("X-CSRF", "1"); // needed with the cookie, ignored with a bearer token
                Assert.Equal(HttpStatusCode.NoContent, (await own.SendAsync(logout)).StatusCode);
                break;
            case "password":
                await using (var scope = app.Services.CreateAsyncScope())
                {
                    var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
                    var user = await users.FindByIdAsync(userId.ToString());
                    var changed = await users.ChangePasswordAsync(user!, TicketingApp.Password, TicketingApp.Password + "2");
                    Assert.True(changed.Succeeded);
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(change));
        }
    }

    private async Task<string> CreateUserAsync(string role)
    {
        var (_, _, email) = await app.CreateUserClientAsync(role);
        return email;
    }

    /// <summary>Signs in through the real sign-in page (antiforgery included) and returns the sign-in cookie as a Cookie header.</summary>
    private static async Task<string> SignInWithTheFormAsync(WebApplicationFactory<Program> factory, string email, HttpClient? client = null)
    {
        client ??= factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var page = await client.GetStringAsync("/account/login");
        var response = await client.PostAsync("/account/login", LoginForm(AntiforgeryField(page), email, TicketingApp.Password));
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"sign-in answered {(int)response.StatusCode}");
        var cookies = response.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith("ticketing.auth", StringComparison.Ordinal))
            .Select(c => c.Split(';')[0]).ToList();
        Assert.NotEmpty(cookies);
        return string.Join("; ", cookies);
    }

    private static FormUrlEncodedContent LoginForm(string antiforgery, string email, string password) => new(new Dictionary<string, string>
    {
        ["_handler"] = "login", ["__RequestVerificationToken"] = antiforgery, ["Input.Email"] = email, ["Input.Password"] = password,
    });

    private static string AntiforgeryField(string html) =>
        AntiforgeryInput().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("no antiforgery field");

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryInput();

    /// <summary>A browser that only carries the given cookie (no cookie jar: what an attacker replaying a copy would send).</summary>
    private static HttpClient CookieClient(WebApplicationFactory<Program> factory, string cookie)
    {
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        client.DefaultRequestHeaders.Add("Cookie", cookie);
        return client;
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SessionTests_Sqlite(SqliteApp app) : SessionTests(app);

[Collection(PostgresCollection.Name)]
public sealed class SessionTests_Postgres(PostgresApp app) : SessionTests(app);
