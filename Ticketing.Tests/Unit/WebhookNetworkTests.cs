using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Webhooks;

namespace Ticketing.Tests.Unit;

/// <summary>Webhook endpoints cannot be turned against the server's own network (SSRF): checked at creation and on every connection.</summary>
public sealed class WebhookNetworkTests
{
    private static readonly WebhookOptions Production = new();

    [Theory]
    [InlineData("https://hooks.example.com/ticketing", true)]
    [InlineData("https://93.184.216.34/hook", true)]
    [InlineData("http://hooks.example.com/ticketing", false)]
    [InlineData("https://localhost/hook", false)]
    [InlineData("https://127.0.0.1/hook", false)]
    [InlineData("https://10.1.2.3/hook", false)]
    [InlineData("https://192.168.1.10/hook", false)]
    [InlineData("https://169.254.169.254/latest/meta-data", false)]
    [InlineData("https://[::1]/hook", false)]
    [InlineData("https://user:secret@hooks.example.com/", false)]
    [InlineData("ftp://hooks.example.com/", false)]
    [InlineData("/relative", false)]
    public void CreationAcceptsOnlyPublicHttpsUrls(string url, bool accepted) =>
        Assert.Equal(accepted, WebhookService.IsAcceptableUrl(url, Production));

    [Fact]
    public async Task TheConnectionGuard_RefusesAHostThatResolvesToLoopback_EvenWhenItsNameLooksPublic()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var receiver = builder.Build();
        receiver.MapPost("/", () => Results.Ok());
        await receiver.StartAsync();
        var port = new Uri(receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;

        // "localhost" passes no literal check here: the guard looks at the address actually connected to.
        using var guarded = new HttpClient(WebhookNetwork.Handler(new WebhookOptions { AllowHttp = true }));
        await Assert.ThrowsAsync<HttpRequestException>(() => guarded.PostAsync($"http://localhost:{port}/", new StringContent("{}")));
        using var allowed = new HttpClient(WebhookNetwork.Handler(new WebhookOptions { AllowHttp = true, AllowPrivateNetworks = true }));
        Assert.Equal(HttpStatusCode.OK, (await allowed.PostAsync($"http://localhost:{port}/", new StringContent("{}"))).StatusCode);
    }
}
