using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.Tests.EndToEnd;

/// <summary>A fan signs up through the form, lands signed in, switches the site to French and chooses SMS.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class FanAccountJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public Task Fan_RegistersSwitchesToFrench_AndChoosesTextMessages(string viewport) =>
        Journey.RunAsync(fixture, output, "fan-account", viewport, async j =>
        {
            var page = j.Page;
            var email = $"fan-{Guid.NewGuid():N}@e2e.local";
            const string name = "Camille Fan";

            await j.GotoAsync("/");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
            await j.StepAsync("home");

            // Header "Sign in" -> "Create an account".
            await page.Locator("header").GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
            await page.WaitForUrlCommittedAsync("**/account/login**");
            await j.WaitForBlazorAsync();
            await j.StepAsync("sign-in");
            await page.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).ClickAsync();
            await page.WaitForUrlCommittedAsync("**/account/register**");
            await j.WaitForBlazorAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Create your account", Level = 1 })).ToBeVisibleAsync();
            await j.StepAsync("register");

            // A rejected form first: errors are shown next to the fields and in an alert.
            await page.Locator("#displayName").FillAsync(name);
            await page.Locator("#email").FillAsync(email);
            await page.Locator("#password").FillAsync("short");
            await j.SubmitFormAsync(page.Locator("main button[type=submit]"));
            await j.WaitForBlazorAsync();
            await Expect(page.GetByRole(AriaRole.Alert).First).ToBeVisibleAsync();
            await j.StepAsync("register-invalid");

            await page.Locator("#displayName").FillAsync(name);
            await page.Locator("#email").FillAsync(email);
            await page.Locator("#password").FillAsync(PublishedApp.Password);
            await j.SubmitFormAsync(page.Locator("main button[type=submit]"));
            await page.WaitForUrlCommittedAsync(url => !url.Contains("/account/", StringComparison.Ordinal));
            await j.WaitForBlazorAsync();
            // Signed in: the header greets the fan (the name is shown from tablet width up) and offers the account menu.
            await Expect(page.Locator(".tk-account-btn")).ToBeVisibleAsync();
            if (!j.IsPhone) await Expect(page.Locator(".tk-account-btn")).ToContainTextAsync(name);
            await j.StepAsync("signed-in");

            // My account through the menu.
            await Steps.OpenAccountMenuAsync(j);
            await Steps.AccountMenu(j).GetByRole(AriaRole.Link, new() { Name = "My account" }).ClickAsync();
            await page.WaitForUrlCommittedAsync("**/account");
            await j.WaitForBlazorAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "My account", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByText($"{email} ·")).ToBeVisibleAsync();
            await j.StepAsync("my-account");

            // French through the header: the same page, in French.
            await Steps.SwitchLanguageAsync(j, "fr");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mon compte", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByText("Recevoir mes confirmations par")).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" })).ToBeVisibleAsync();
            await Expect(page.Locator("nav.tk-lang a[hreflang=fr]")).ToHaveAttributeAsync("aria-current", "true");
            await j.StepAsync("my-account-fr");

            // SMS without a phone number is refused, with the reason in French.
            await page.GetByRole(AriaRole.Radio, new() { Name = "SMS" }).CheckAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
            await Expect(page.GetByText("Un numéro de téléphone est nécessaire pour recevoir des SMS.")).ToBeVisibleAsync();
            await j.StepAsync("sms-needs-phone");

            // With a phone number it is saved.
            await page.GetByLabel("Téléphone mobile (facultatif)").FillAsync("+33612345678");
            await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer" }).ClickAsync();
            await Expect(page.GetByText("Votre profil a été enregistré.")).ToBeVisibleAsync();
            await j.StepAsync("sms-saved");

            // Saved for real: a fresh load shows SMS and the number.
            await j.GotoAsync("/account");
            await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "SMS" })).ToBeCheckedAsync();
            await Expect(page.GetByLabel("Téléphone mobile (facultatif)")).ToHaveValueAsync("+33612345678");
            await j.StepAsync("reloaded", checkPage: false);
        });
}
