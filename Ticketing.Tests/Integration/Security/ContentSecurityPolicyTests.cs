using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Ticketing.Core.Accounts;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Security;

/// <summary>
/// The Content-Security-Policy forbids inline scripts and eval (only our files and this response's nonce), and the
/// pages themselves carry no script that would need either; an Organizer's hostile title reaches the prerendered
/// event page as text.
/// </summary>
public abstract class ContentSecurityPolicyTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private const string HostileTitle = "Gala <script>window.__xss=1</script><img src=x onerror=\"window.__xss=1\">\"'><svg onload=alert(1)>";

    [Theory]
    [InlineData("/")]
    [InlineData("/search?q=lyon")]
    [InlineData("/account/login")]
    [InlineData("/no-such-page")]
    [InlineData("/swagger/index.html")]
    public async Task EveryPage_AllowsNoInlineScriptOrEval_AndNoncesItsOwnInlineScripts(string path)
    {
        var client = app.CreateClient();
        var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();
        var scripts = Directives(Csp(response))["script-src"];

        Assert.DoesNotContain("'unsafe-inline'", scripts);
        Assert.DoesNotContain("'unsafe-eval'", scripts);
        Assert.DoesNotContain("*", scripts);
        Assert.DoesNotContain("data:", scripts);
        Assert.Equal(["'none'"], Directives(Csp(response))["script-src-attr"]);
        Assert.Equal(["'none'"], Directives(Csp(response))["object-src"]);
        var nonce = Assert.Single(scripts, s => s.StartsWith("'nonce-", StringComparison.Ordinal))["'nonce-".Length..^1];

        // Every script element either loads a file of ours or carries this response's nonce; no inline event handler.
        var document = Parse(html);
        foreach (var script in document.Scripts)
            Assert.True(script.HasAttribute("src") || script.GetAttribute("nonce") == nonce,
                $"{path}: an inline script without this response's nonce: {script.OuterHtml}");
        AssertNoActiveMarkup(path, document);
    }

    [Fact]
    public async Task TheNonce_IsFreshOnEveryRequest_AndMatchesTheImportMap()
    {
        var client = app.CreateClient();
        var nonces = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var response = await client.GetAsync("/");
            var nonce = Directives(Csp(response))["script-src"].Single(s => s.StartsWith("'nonce-", StringComparison.Ordinal))["'nonce-".Length..^1];
            Assert.True(Convert.FromBase64String(nonce).Length >= 16, "at least 128 random bits");
            var html = await response.Content.ReadAsStringAsync();
            var importMap = Parse(html).QuerySelector("script[type=importmap]");
            Assert.NotNull(importMap);
            Assert.Equal(nonce, importMap.GetAttribute("nonce"));
            nonces.Add(nonce);
        }
        Assert.Equal(3, nonces.Distinct().Count());
    }

    [Fact]
    public async Task AHostileTitle_ReachesThePrerenderedEventPageAsText()
    {
        var (organizer, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var created = await (await organizer.PostAsJsonAsync("/api/events", new
        {
            title = HostileTitle, description = "Line one <b>bold?</b>\n<script>window.__xss=1</script> line two", category = "Concert",
            artist = "<img src=x onerror=alert(1)> Band",
            performances = new[]
            {
                new
                {
                    startsAt = app.Clock.GetUtcNow().AddDays(20), venue = new { name = "Hall \"'><svg onload=alert(1)>", city = "Lyon <script>x</script>", address = "1 rue" },
                    categories = new[] { new { name = "Cat <img src=x onerror=alert(1)>", price = 10m, capacity = 10 } },
                },
            },
        })).ReadJsonAsync(HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        (await organizer.PostAsync($"/api/events/{id}/publish", null)).EnsureSuccessStatusCode();

        foreach (var path in new[] { $"/events/{id}", "/", "/search?q=gala" })
        {
            var response = await app.CreateClient().GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.Content.ReadAsStringAsync();
            Assert.Contains("Gala &lt;script&gt;window.__xss=1&lt;/script&gt;", html);
            var document = Parse(html);
            AssertNoActiveMarkup(path, document);
            Assert.All(document.Scripts, s => Assert.DoesNotContain("__xss", s.TextContent));
            Assert.Empty(document.QuerySelectorAll("img[src=x], svg[onload]"));
        }
    }

    private static string Csp(HttpResponseMessage response) => Assert.Single(response.Headers.GetValues("Content-Security-Policy"));

    private static Dictionary<string, string[]> Directives(string csp) => csp.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(d => d.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        .ToDictionary(d => d[0], d => d[1..]);

    private static IHtmlDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    /// <summary>No event-handler attribute (onclick=, onerror=...) and no javascript: URL anywhere in the page's markup.</summary>
    private static void AssertNoActiveMarkup(string path, IHtmlDocument document)
    {
        foreach (var element in document.All)
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase),
                    $"{path}: an event-handler attribute {attribute.Name} on <{element.LocalName}>");
                Assert.False(attribute.Value.TrimStart().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase),
                    $"{path}: a javascript: URL in {attribute.Name} on <{element.LocalName}>");
            }
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteContentSecurityPolicyTests(SqliteApp app) : ContentSecurityPolicyTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresContentSecurityPolicyTests(PostgresApp app) : ContentSecurityPolicyTests(app);
