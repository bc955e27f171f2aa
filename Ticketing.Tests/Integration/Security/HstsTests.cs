using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Security;

/// <summary>HSTS is on by default in Production, on HTTPS requests (behind a proxy: X-Forwarded-Proto), and off elsewhere.</summary>
[Collection(SqliteCollection.Name)]
public sealed class HstsTests(SqliteApp app)
{
    private static async Task<HttpResponseMessage> GetAsync(WebApplicationFactory<Program> factory, string proto)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "http://tickets.example.com/api/ping");
        request.Headers.Add("X-Forwarded-Proto", proto);
        return await factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false }).SendAsync(request);
    }

    [Fact]
    public async Task Production_SendsHsts_OnRequestsThatCameInOverHttpsThroughTheProxy()
    {
        await using var production = app.WithWebHostBuilder(b => b.UseEnvironment("Production").UseSetting("Hosting:ForwardedHeaders", "true"));
        var https = await GetAsync(production, "https");
        Assert.Contains("max-age=31536000", https.Headers.GetValues("Strict-Transport-Security").Single());
        Assert.False((await GetAsync(production, "http")).Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task OutsideProduction_SendsNoHsts_UnlessAsked()
    {
        await using var testing = app.WithWebHostBuilder(b => b.UseSetting("Hosting:ForwardedHeaders", "true"));
        Assert.False((await GetAsync(testing, "https")).Headers.Contains("Strict-Transport-Security"));
        await using var asked = app.WithWebHostBuilder(b => b.UseSetting("Hosting:ForwardedHeaders", "true").UseSetting("Hosting:Hsts", "true"));
        Assert.True((await GetAsync(asked, "https")).Headers.Contains("Strict-Transport-Security"));
    }
}
