using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Ticketing.Core.Accounts;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Security;

/// <summary>The server-rendered account forms (sign-in, registration, sign-out): hostile return URLs and forged posts never answer 500.</summary>
public abstract partial class AccountFormTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    public static TheoryData<string> HostileReturnUrls => new()
    {
        "https://evil.example/", "//evil.example", "/\\evil.example", "/\r\nSet-Cookie: stolen=1", "/\t/evil.example", "javascript:alert(1)",
        "/a\0b", "/événements?q=é", new string('/', 3) + "evil.example",
    };

    private HttpClient Browser() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>GETs the page and returns the hidden fields of its form (handler name, antiforgery token).</summary>
    private static async Task<Dictionary<string, string>> HiddenFieldsAsync(HttpClient browser, string url)
    {
        var html = await (await browser.GetAsync(url)).Content.ReadAsStringAsync();
        // The sign-in page has several forms (password, passkey): the first of each name is the password form's.
        return HiddenInput().Matches(html).DistinctBy(m => m.Groups["name"].Value)
            .ToDictionary(m => m.Groups["name"].Value, m => WebUtility.HtmlDecode(m.Groups["value"].Value));
    }

    private static void AssertLocalRedirect(HttpResponseMessage response)
    {
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"expected a redirect, got {(int)response.StatusCode}");
        var location = response.Headers.Location!;
        // A valid Location header (printable ASCII), and this site: a local path, or this host when Blazor made it absolute.
        Assert.All(location.OriginalString, c => Assert.InRange(c, '!', '~'));
        if (location.IsAbsoluteUri) Assert.Equal("localhost", location.Host);
        else Assert.False(!location.OriginalString.StartsWith('/') || location.OriginalString.StartsWith("//") || location.OriginalString.StartsWith("/\\"), location.OriginalString);
    }

    [Theory]
    [MemberData(nameof(HostileReturnUrls))]
    public async Task SignIn_WithAHostileReturnUrl_RedirectsOnlyWithinThisSite(string returnUrl)
    {
        var (_, _, email) = await app.CreateUserClientAsync(Roles.Customer);
        var browser = Browser();
        var url = "/account/login?returnUrl=" + Uri.EscapeDataString(returnUrl);
        var fields = await HiddenFieldsAsync(browser, url);
        fields["Input.Email"] = email;
        fields["Input.Password"] = TicketingApp.Password;

        var response = await browser.PostAsync(url, new FormUrlEncodedContent(fields));

        AssertLocalRedirect(response);
    }

    [Theory]
    [MemberData(nameof(HostileReturnUrls))]
    public async Task SignOut_WithAHostileReturnUrl_RedirectsOnlyWithinThisSite(string returnUrl)
    {
        var browser = Browser();
        var fields = await HiddenFieldsAsync(browser, "/account/login");
        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = fields["__RequestVerificationToken"], ["returnUrl"] = returnUrl,
        };

        var response = await browser.PostAsync("/account/logout", new FormUrlEncodedContent(form));

        if (returnUrl.Contains('\0')) Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode); // the form reader refuses a NUL
        else AssertLocalRedirect(response);
    }

    [Theory]
    [InlineData("/account/login", "login")]
    [InlineData("/account/register", "register")]
    [InlineData("/account/logout", null)]
    public async Task AFormPost_WithoutAValidAntiforgeryToken_Answers400WithAClearMessage(string path, string? handler)
    {
        var browser = Browser();
        var form = new Dictionary<string, string> { ["Input.Email"] = "someone@test.local", ["Input.Password"] = TicketingApp.Password };
        if (handler is not null) form["_handler"] = handler;
        using var missing = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) }.WithLanguage("fr");
        var forged = new Dictionary<string, string>(form) { ["__RequestVerificationToken"] = "forged" };
        using var wrong = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(forged) }.WithLanguage("fr");

        foreach (var request in new[] { missing, wrong })
        {
            var problem = await (await browser.SendAsync(request)).AssertProblemAsync(HttpStatusCode.BadRequest, "antiforgery_failed");
            Assert.Contains("formulaire", problem.GetProperty("detail").GetString());
        }
    }

    [Theory]
    [InlineData("a\0b@test.local")]
    [InlineData("\u0001")]
    public async Task SignIn_WithControlCharactersInTheEmail_Is400(string email)
    {
        var browser = Browser();
        var fields = await HiddenFieldsAsync(browser, "/account/login");
        fields["Input.Email"] = email;
        fields["Input.Password"] = TicketingApp.Password;

        var response = await browser.PostAsync("/account/login", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith(".AspNetCore.Identity")));
    }

    [Theory]
    [InlineData("Fan\0", "fan1@test.local")]
    [InlineData("<b></b>", "fan2@test.local")]
    [InlineData("Léa", "fan\u0001@test.local")]
    public async Task Register_WithBadText_Answers400OnThePageAndCreatesNothing(string displayName, string email)
    {
        var browser = Browser();
        var fields = await HiddenFieldsAsync(browser, "/account/register");
        fields["Input.DisplayName"] = displayName;
        fields["Input.Email"] = email;
        fields["Input.Password"] = TicketingApp.Password;
        fields["Input.PreferredLanguage"] = "en";
        fields["Input.NotificationChannel"] = "Email";

        var response = await browser.PostAsync("/account/register", new FormUrlEncodedContent(fields));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var users = await PurchaseTestData.QueryAsync(app, db => Task.FromResult(db.Users.Count()));
        Assert.Equal(1, users); // the Admin only
    }

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*name=\"(?<name>[^\"]+)\"[^>]*value=\"(?<value>[^\"]*)\"")]
    private static partial Regex HiddenInput();
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteAccountFormTests(SqliteApp app) : AccountFormTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAccountFormTests(PostgresApp app) : AccountFormTests(app);
