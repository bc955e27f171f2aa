using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// "Sign in with Test ID" against a real OpenID Connect provider (oidc-provider, its development login and consent
/// pages): cancelling at the provider lands on the localized error page (in French), and signing in there comes back
/// signed in to a new account named by the provider.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ExternalSignInJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public Task Fan_SignsInWithAnOpenIdConnectProvider_AfterCancellingOnce(string viewport) =>
        Journey.RunAsync(fixture, output, "external-sign-in", viewport, async j =>
        {
            var page = j.Page;
            var email = $"oidc-fan-{Guid.NewGuid():N}@idp.test";

            await j.GotoAsync("/account/login");
            await Expect(page.Locator("#external-test")).ToHaveTextAsync("Sign in with Test ID");
            await j.StepAsync("sign-in");
            await Steps.SwitchLanguageAsync(j, "fr");
            await Expect(page.Locator("#external-test")).ToHaveTextAsync("Se connecter avec Test ID");
            await j.StepAsync("sign-in-fr");

            // At the provider, cancel: back on our page, in French, saying what happened and what to do.
            await page.Locator("#external-test").ClickAsync();
            await page.WaitForURLAsync(url => url.StartsWith(fixture.Oidc.Issuer, StringComparison.Ordinal));
            await page.Locator("a[href$='/abort']").ClickAsync();
            await page.WaitForUrlCommittedAsync("**/account/external-error?code=external_access_denied");
            await j.WaitForBlazorAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "La connexion n’a pas abouti", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByTestId("external-error")).ToContainTextAsync("Vous n’avez pas autorisé la connexion");
            await j.StepAsync("external-error-fr");
            await Steps.SwitchLanguageAsync(j, "en");
            await Expect(page.GetByTestId("external-error")).ToContainTextAsync("You did not allow the sign-in");
            await j.StepAsync("external-error");

            // Again, signing in at the provider and allowing it: a new account, signed in, on the account page.
            await page.GetByRole(AriaRole.Link, new() { Name = "Back to sign-in" }).ClickAsync();
            await page.WaitForURLAsync("**/account/login");
            await page.Locator("#external-test").ClickAsync();
            await page.WaitForURLAsync(url => url.StartsWith(fixture.Oidc.Issuer, StringComparison.Ordinal));
            await page.Locator("input[name=login]").FillAsync(email);
            await page.Locator("input[name=password]").FillAsync("any password");
            await page.Locator("button[type=submit]").ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Continue" }).ClickAsync();
            await page.WaitForUrlCommittedAsync(url => url.StartsWith(j.App.BaseUrl.ToString(), StringComparison.Ordinal) && !url.Contains("/signin-oidc", StringComparison.Ordinal) && !url.Contains("/account/external", StringComparison.Ordinal));
            await j.WaitForBlazorAsync();
            Assert.DoesNotContain("/account/login", page.Url);
            await Expect(page.Locator(".tk-account-btn")).ToContainTextAsync($"Fan {email.Split('@')[0]}");
            await j.StepAsync("signed-in");

            // The account has no password: erasing it is confirmed by a mailed link, whose page asks once more.
            await j.GotoAsync("/account/security");
            await j.WaitForBlazorAsync();
            await page.GetByTestId("security-erase-link").ClickAsync();
            await Expect(page.GetByTestId("security-erase-link-sent")).ToContainTextAsync(email);
            await j.StepAsync("erase-link-sent");
            var link = await MailedLinks.WaitForLinkAsync(j.App, email, new System.Text.RegularExpressions.Regex(@"\S+/account/erase\?\S+"));
            await j.GotoAsync(link);
            await Expect(page.GetByTestId("erase-confirm")).ToBeVisibleAsync();
            await j.StepAsync("erase-confirm");
            await page.GetByTestId("erase-confirm").ClickAsync();
            await Expect(page.GetByTestId("erase-done")).ToBeVisibleAsync();
            await j.StepAsync("erased");
            await j.GotoAsync("/account");
            await page.WaitForURLAsync("**/account/login**");
        });
}
