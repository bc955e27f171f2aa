using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Ticketing.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// A new fan confirms the address: registers on the page, the account page says the address is not confirmed and sends
/// the link again, the mailed link (an .eml file written by the outbox job) confirms it, in both languages.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class EmailConfirmationJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public Task Fan_RegistersResendsTheLinkAndConfirmsTheAddress(string viewport) =>
        Journey.RunAsync(fixture, output, "email-confirmation", viewport, async j =>
        {
            var page = j.Page;
            var email = $"confirm-{Guid.NewGuid():N}@e2e.local";

            await j.GotoAsync("/account/register?returnUrl=%2Faccount");
            await page.Locator("#displayName").FillAsync("Confirm Fan");
            await page.Locator("#email").FillAsync(email);
            await page.Locator("#password").FillAsync(PublishedApp.Password);
            await j.SubmitFormAsync(page.Locator("main button[type=submit]"));
            await page.WaitForUrlCommittedAsync("**/account");
            await j.WaitForBlazorAsync();

            var notice = page.GetByTestId("email-unconfirmed");
            await Expect(notice).ToContainTextAsync(email);
            await j.StepAsync("account-unconfirmed");
            await page.Locator("#resend-confirmation").ClickAsync();
            await Expect(page.Locator("#resend-confirmation")).ToBeDisabledAsync();
            await Expect(page.GetByText($"A new confirmation link is on its way to {email}.")).ToBeVisibleAsync();
            await j.StepAsync("account-resent");

            await Steps.SwitchLanguageAsync(j, "fr");
            await Expect(page.GetByTestId("email-unconfirmed")).ToContainTextAsync("n’est pas encore confirmée");
            await j.StepAsync("account-unconfirmed-fr");

            var seen = new HashSet<string>();
            var link = await MailedLinks.WaitForLinkAsync(j.App, email, LinkPattern(), seen);
            // A tampered link: a clear page, nothing confirmed.
            await j.GotoAsync(link[..^3] + "AAA");
            await Expect(page.GetByTestId("confirm-invalid")).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ce lien ne fonctionne pas", Level = 1 })).ToBeVisibleAsync();
            await j.StepAsync("confirm-invalid-fr");

            await j.GotoAsync(link);
            await Expect(page.GetByTestId("confirm-done")).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Adresse confirmée", Level = 1 })).ToBeVisibleAsync();
            await j.StepAsync("confirm-done-fr");
            await Steps.SwitchLanguageAsync(j, "en");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Address confirmed", Level = 1 })).ToBeVisibleAsync();
            await j.StepAsync("confirm-done");

            await j.GotoAsync("/account");
            await j.WaitForBlazorAsync();
            await Expect(page.Locator("#account-display-name, h1")).Not.ToHaveCountAsync(0);
            await Expect(page.GetByTestId("email-unconfirmed")).ToHaveCountAsync(0);
            await j.StepAsync("account-confirmed");
        });

    [GeneratedRegex(@"\S*/account/confirm-email\?\S+")]
    private static partial Regex LinkPattern();
}
