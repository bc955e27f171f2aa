using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// Passkeys with Chromium's virtual authenticator (DevTools protocol, WebAuthn domain): a fan adds a passkey from the
/// account page, signs out, and signs in again with "Sign in with a passkey", no password typed. WebAuthn refuses an
/// IP address as the site's identity, so this journey uses http://localhost (a secure context) rather than 127.0.0.1.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class PasskeyJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public Task Fan_AddsAPasskey_SignsOut_AndSignsInWithIt(string viewport) =>
        Journey.RunAsync(fixture, output, "passkey", viewport, async j =>
        {
            var page = j.Page;
            var site = $"http://localhost:{j.App.BaseUrl.Port}";
            var email = await j.App.RegisterCustomerAsync(displayName: "Passkey Fan");

            var cdp = await j.Context.NewCDPSessionAsync(page);
            await cdp.SendAsync("WebAuthn.enable");
            await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
            {
                ["options"] = new Dictionary<string, object>
                {
                    ["protocol"] = "ctap2", ["transport"] = "internal", ["hasResidentKey"] = true,
                    ["hasUserVerification"] = true, ["isUserVerified"] = true, ["automaticPresenceSimulation"] = true,
                },
            });

            await j.GotoAsync(site + "/account/login");
            await Steps.SignInAsync(j, email, PublishedApp.Password);
            await j.GotoAsync(site + "/account");
            await Expect(page.GetByTestId("no-passkeys")).ToBeVisibleAsync();
            await j.StepAsync("account");

            await page.Locator("#passkey-add").ClickAsync();
            await page.WaitForUrlCommittedAsync("**/account?passkey=added");
            await j.WaitForBlazorAsync();
            await Expect(page.GetByTestId("passkey-result")).ToContainTextAsync("Your passkey was added.");
            await Expect(page.GetByTestId("passkeys").Locator("li")).ToHaveCountAsync(1);
            await j.StepAsync("passkey-added");
            await Steps.SwitchLanguageAsync(j, "fr");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Clés d’accès", Level = 2 })).ToBeVisibleAsync();
            await j.StepAsync("account-fr");
            await Steps.SwitchLanguageAsync(j, "en");

            await Steps.OpenAccountMenuAsync(j);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await page.WaitForURLAsync(site + "/");
            await j.GotoAsync(site + "/account/login?returnUrl=%2Faccount");
            await page.Locator("#passkey-sign-in").ClickAsync();
            await page.WaitForUrlCommittedAsync(site + "/account");
            await j.WaitForBlazorAsync();
            await Expect(page.Locator(".tk-account-btn")).ToContainTextAsync("Passkey Fan");
            await Expect(page.GetByTestId("passkeys").Locator("li")).ToHaveCountAsync(1);
            await j.StepAsync("signed-in-with-passkey");
        });
}
