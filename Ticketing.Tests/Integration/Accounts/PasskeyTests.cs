using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Accounts;

/// <summary>
/// The server side of passkeys (WebAuthn) that needs no authenticator: options only with the antiforgery token, a
/// fresh challenge each time, creation options only for a signed-in account, and a bad credential answered by the
/// sign-in page's message, never a 500. The full ceremony runs in Chromium (PasskeyJourneyTests).
/// </summary>
public abstract partial class PasskeyTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private HttpClient Browser() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    [Fact]
    public async Task RequestOptions_NeedTheAntiforgeryToken_AndCarryAFreshChallengeForThisSite()
    {
        var client = Browser();
        var token = await TokenFromAsync(client, "/account/login");
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/account/passkeys/request-options", null)).StatusCode);

        var first = await RequestOptionsAsync(client, token);
        var second = await RequestOptionsAsync(client, token);
        Assert.Equal("localhost", first.GetProperty("rpId").GetString());
        Assert.False(string.IsNullOrEmpty(first.GetProperty("challenge").GetString()));
        Assert.NotEqual(first.GetProperty("challenge").GetString(), second.GetProperty("challenge").GetString());
    }

    [Fact]
    public async Task CreationOptions_AreForTheSignedInAccountOnly()
    {
        var anonymous = Browser();
        var token = await TokenFromAsync(anonymous, "/account/login");
        var refused = await PostWithTokenAsync(anonymous, "/account/passkeys/creation-options", token);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("http://localhost/account/login", refused.Headers.Location!.ToString());

        var (_, _, email) = await app.CreateUserClientAsync(displayName: "Passkey Fan");
        var client = Browser();
        await SignInAsync(client, email);
        token = await TokenFromAsync(client, "/account/login");
        var options = await PostWithTokenAsync(client, "/account/passkeys/creation-options", token);
        Assert.Equal(HttpStatusCode.OK, options.StatusCode);
        var json = JsonDocument.Parse(await options.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(email, json.GetProperty("user").GetProperty("name").GetString());
        Assert.Equal("Passkey Fan", json.GetProperty("user").GetProperty("displayName").GetString());
        Assert.Equal("localhost", json.GetProperty("rp").GetProperty("id").GetString());
    }

    [Fact]
    public async Task ABadCredential_EndsOnTheSignInPageWithItsMessage_NotA500()
    {
        var client = Browser();
        var token = await TokenFromAsync(client, "/account/login");
        await RequestOptionsAsync(client, token);
        foreach (var credential in new[] { "not json", "{\"id\":\"AAAA\",\"type\":\"public-key\",\"response\":{}}" })
        {
            var answer = await client.PostAsync("/account/passkeys/sign-in", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token, ["credential"] = credential, ["returnUrl"] = "/account",
            }));
            Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
            Assert.Equal("/account/login?passkey=failed&returnUrl=%2Faccount", answer.Headers.Location!.OriginalString);
        }
        var page = await client.GetStringAsync("/account/login?passkey=failed&returnUrl=%2Faccount");
        Assert.Contains("The passkey did not sign you in", page);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task TheSignInPage_OffersThePasskeyButton_WithItsScriptFromOurOrigin()
    {
        var page = await Browser().GetStringAsync("/account/login");
        Assert.Contains("id=\"passkey-sign-in\"", page);
        Assert.Contains("action=\"/account/passkeys/sign-in\"", page);
        Assert.Matches("<script src=\"/?js/passkeys[^\"]*\\.js\"></script>", page);
    }

    private async Task SignInAsync(HttpClient client, string email)
    {
        var token = await TokenFromAsync(client, "/account/login", "login");
        var answer = await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["_handler"] = "login", ["Input.Email"] = email, ["Input.Password"] = TicketingApp.Password,
        }));
        Assert.True(answer.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, answer.StatusCode.ToString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
    }

    private static async Task<JsonElement> RequestOptionsAsync(HttpClient client, string token)
    {
        var answer = await PostWithTokenAsync(client, "/account/passkeys/request-options", token);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        return JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement;
    }

    private static Task<HttpResponseMessage> PostWithTokenAsync(HttpClient client, string path, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("X-CSRF-TOKEN", token);
        return client.SendAsync(request);
    }

    private static async Task<string> TokenFromAsync(HttpClient client, string path, string? _ = null)
    {
        var html = await client.GetStringAsync(path);
        var match = AntiforgeryInput().Match(html);
        Assert.True(match.Success, "no antiforgery token on " + path);
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryInput();
}

[Collection(SqliteCollection.Name)]
public sealed class PasskeyTests_Sqlite(SqliteApp app) : PasskeyTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PasskeyTests_Postgres(PostgresApp app) : PasskeyTests(app);
