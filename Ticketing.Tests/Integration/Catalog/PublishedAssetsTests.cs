using System.Net;
using System.Text.RegularExpressions;
using Ticketing.Tests.EndToEnd;

namespace Ticketing.Tests.Integration.Catalog;

/// <summary>
/// Issue 17 item 4: the published app (static files come from the publish output) serves the pages' fingerprinted
/// assets, MudBlazor's package assets included, compressed and with a year-long immutable cache. No database in play.
/// </summary>
public sealed class PublishedAssetsTests : IAsyncLifetime
{
    private PublishedApp? _app;

    public async Task InitializeAsync() => _app = await PublishedApp.StartAsync();

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }

    [Fact]
    public async Task FingerprintedAssets_ComeCompressed_WithAYearLongImmutableCache()
    {
        using var client = new HttpClient(new HttpClientHandler { AutomaticDecompression = System.Net.DecompressionMethods.None }) { BaseAddress = _app!.BaseUrl };
        var html = await client.GetStringAsync("/");
        var mudCss = Regex.Match(html, @"href=""(_content/MudBlazor/MudBlazor\.min\.\w+\.css)""").Groups[1].Value;
        var appCss = Regex.Match(html, @"href=""(css/app\.\w+\.css)""").Groups[1].Value;
        var mudJs = Regex.Match(html, @"src=""(_content/MudBlazor/MudBlazor\.min\.\w+\.js)""").Groups[1].Value;
        foreach (var asset in new[] { mudCss, appCss, mudJs })
        {
            Assert.NotEqual("", asset);
            foreach (var accepted in new[] { "gzip", "br, gzip" })
            {
                var request = new HttpRequestMessage(HttpMethod.Get, "/" + asset);
                request.Headers.TryAddWithoutValidation("Accept-Encoding", accepted);
                var response = await client.SendAsync(request);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.True(response.Content.Headers.ContentEncoding.Count == 1, $"{asset} ({accepted}) came uncompressed");
                Assert.Contains(response.Content.Headers.ContentEncoding.Single(), accepted.Split(", "));
                Assert.Equal("max-age=31536000, immutable", response.Headers.CacheControl!.ToString());
            }
        }
        // Without Accept-Encoding: the plain file, still immutable.
        var plain = await client.GetAsync("/" + mudCss);
        Assert.Empty(plain.Content.Headers.ContentEncoding);
        Assert.Equal("max-age=31536000, immutable", plain.Headers.CacheControl!.ToString());
        Assert.Contains(".mud-button-root", await plain.Content.ReadAsStringAsync());
    }
}
