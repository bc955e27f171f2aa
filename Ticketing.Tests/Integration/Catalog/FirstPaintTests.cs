using System.Net;
using System.Text.RegularExpressions;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Catalog;

/// <summary>
/// Issue 17 item 4, mobile first paint: on the static fan pages only app.css blocks the first paint (MudBlazor's
/// stylesheet loads without blocking). Markup does not depend on the database: one app (SQLite), like HstsTests.
/// The assets' compression and caching: <see cref="PublishedAssetsTests"/>.
/// </summary>
[Collection(SqliteCollection.Name)]
public sealed partial class FirstPaintTests(SqliteApp app)
{
    [Theory]
    [InlineData("/")]
    [InlineData("/search")]
    public async Task StaticFanPages_LoadMudBlazorsStylesheetWithoutBlocking_AndAppCssFirst(string path)
    {
        var html = await app.CreateClient().GetStringAsync(path);
        var head = html[..html.IndexOf("</head>", StringComparison.Ordinal)];
        var links = StylesheetLink().Matches(head).Select(m => m.Value).ToList();
        var mud = Assert.Single(links, l => l.Contains("MudBlazor.min.") && !l.Contains("noscript"));
        Assert.Contains("media=\"print\"", mud);
        Assert.Contains("data-tk-deferred-style", mud);
        Assert.Contains("<noscript><link rel=\"stylesheet\" href=\"_content/MudBlazor/MudBlazor.min.", head);
        var appCss = Assert.Single(links, l => l.Contains("css/app."));
        Assert.DoesNotContain("media=", appCss);
        Assert.DoesNotContain("class=\"tk-mud\"", html[..html.IndexOf("<head>", StringComparison.Ordinal)]);
        Assert.Matches(@"<img src=""img/logo\.\w+\.svg""", html); // fingerprinted: cached for a year
    }

    [GeneratedRegex(@"(<noscript>)?<link rel=""stylesheet""[^>]*>")]
    private static partial Regex StylesheetLink();
}
