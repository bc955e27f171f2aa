using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Shell;

[Collection(SqliteCollection.Name)]
public sealed class ShellTests(SqliteApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient NoRedirects() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    [Fact]
    public async Task Home_IsEnglishByDefault()
    {
        var html = await app.CreateClient().GetStringAsync("/");
        Assert.Contains("<html lang=\"en\"", html);
        Assert.Contains("Sign in", html);
    }

    [Fact]
    public async Task Home_FollowsAcceptLanguage()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/").WithLanguage("fr-FR,fr;q=0.9");
        var html = await (await app.CreateClient().SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"fr\"", html);
        Assert.Contains("Se connecter", html);
        Assert.Contains("Théâtre", html);
    }

    [Fact]
    public async Task CultureCookie_WinsOverAcceptLanguage()
    {
        var client = NoRedirects();
        var set = await client.GetAsync("/culture/set?culture=fr&redirectUri=%2Fsearch");
        Assert.Equal(HttpStatusCode.Redirect, set.StatusCode);
        Assert.Equal("/search", set.Headers.Location!.OriginalString);
        var cookie = set.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Culture"));
        var request = new HttpRequestMessage(HttpMethod.Get, "/").WithLanguage("en-US");
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        var html = await (await client.SendAsync(request)).Content.ReadAsStringAsync();
        Assert.Contains("<html lang=\"fr\"", html);
    }

    [Fact]
    public async Task CultureSwitch_NeverRedirectsOffSite()
    {
        var response = await NoRedirects().GetAsync("/culture/set?culture=fr&redirectUri=https%3A%2F%2Fevil.example");
        Assert.Equal("/", response.Headers.Location!.OriginalString);
        var slashes = await NoRedirects().GetAsync("/culture/set?culture=fr&redirectUri=%2F%2Fevil.example");
        Assert.Equal("/", slashes.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task UnknownPage_Is404WithTheFriendlyPage()
    {
        var response = await app.CreateClient().GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("Page not found", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnknownApiPath_Is404ProblemDetails()
    {
        await (await app.CreateClient().GetAsync("/api/nothing-here")).AssertProblemAsync(HttpStatusCode.NotFound, "not_found");
    }

    [Fact]
    public async Task Health_ReportsTheDatabase()
    {
        var health = await (await (await app.AdminClientAsync()).GetAsync("/health")).ReadJsonAsync();
        Assert.Equal("Healthy", health.GetProperty("status").GetString());
        Assert.Equal("Healthy", health.GetProperty("checks").GetProperty("database").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Responses_CarrySecurityHeaders()
    {
        var response = await app.CreateClient().GetAsync("/");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Swagger_DocumentsTheAuthApiWithBearer()
    {
        var doc = await (await app.CreateClient().GetAsync("/swagger/v1/swagger.json")).ReadJsonAsync();
        var paths = doc.GetProperty("paths");
        foreach (var p in new[] { "/api/auth/register", "/api/auth/token", "/api/me", "/api/users", "/api/users/{id}" })
            Assert.True(paths.TryGetProperty(p, out _), $"{p} is not documented");
        Assert.True(doc.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("Bearer", out _));
    }

    [Fact]
    public async Task SignInPage_SetsAnHttpOnlyCookie_AndAPostWithoutAntiforgeryIsRefused()
    {
        var page = await app.CreateClient().GetAsync("/account/login");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var forged = await NoRedirects().PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["Input.Email"] = TicketingApp.AdminEmail, ["Input.Password"] = TicketingApp.AdminPassword,
        }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
    }
}
