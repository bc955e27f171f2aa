using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Options;
using Ticketing.Core.Common;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Security;

/// <summary>
/// Mails are composed by a background job, with no request to take the host from: outside Development the app
/// refuses to start without App:PublicBaseUrl (a configuration rule, the same on both databases).
/// </summary>
[Collection(SqliteCollection.Name)]
public sealed class PublicBaseUrlTests(SqliteApp app)
{
    [Theory]
    [InlineData("")]
    [InlineData("tickets.example.com")]
    [InlineData("/relative")]
    public void Production_WithoutAnAbsolutePublicBaseUrl_RefusesToStart_Clearly(string value)
    {
        using var production = app.WithWebHostBuilder(b => b.UseEnvironment("Production").UseSetting("App:PublicBaseUrl", value));
        var error = Record.Exception(() => production.Services);
        Assert.NotNull(error);
        Assert.Contains("App:PublicBaseUrl is required outside Development", error.ToString());
    }

    [Fact]
    public void Production_WithAPublicBaseUrl_Starts()
    {
        using var production = app.WithWebHostBuilder(b => b.UseEnvironment("Production").UseSetting("App:PublicBaseUrl", "https://billetterie.example/"));
        var site = production.Services.GetService(typeof(IOptions<PublicSiteOptions>)) as IOptions<PublicSiteOptions>;
        Assert.Equal("https://billetterie.example/account/tickets", site!.Value.Link("/account/tickets"));
    }

    [Fact]
    public void Development_WithoutPublicBaseUrl_UsesTheAppsOwnAddress()
    {
        using var development = app.WithWebHostBuilder(b => b.UseEnvironment("Development").UseSetting("App:PublicBaseUrl", "")
            .UseSetting("urls", "http://0.0.0.0:5080;https://localhost:5081"));
        var site = development.Services.GetService(typeof(IOptions<PublicSiteOptions>)) as IOptions<PublicSiteOptions>;
        Assert.Equal("http://localhost:5080/account/orders", site!.Value.Link("/account/orders"));
    }
}
