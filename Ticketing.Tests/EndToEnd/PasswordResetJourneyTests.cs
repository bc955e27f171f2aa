using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MimeKit;
using Ticketing.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// A fan who forgot the password: "Forgot your password?" on the sign-in page, the mail (written by the published app's
/// outbox job as an .eml file, no SMTP host configured), the link's page in French, a refused weak password, the new
/// password, the same link refused a second time, and a sign-in with the new password.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class PasswordResetJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    private const string NewPassword = PublishedApp.Password + "-reset1";

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public Task Fan_ResetsAForgottenPasswordFromTheMailedLink_AndTheLinkWorksOnce(string viewport) =>
        Journey.RunAsync(fixture, output, "password-reset", viewport, async j =>
        {
            var page = j.Page;
            var email = await j.App.RegisterCustomerAsync(displayName: "Reset Fan");

            await j.GotoAsync("/account/login");
            await j.StepAsync("sign-in");
            await page.GetByRole(AriaRole.Link, new() { Name = "Forgot your password?" }).ClickAsync();
            await page.WaitForUrlCommittedAsync("**/account/forgot-password");
            await j.WaitForBlazorAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Forgot your password", Level = 1 })).ToBeVisibleAsync();
            await j.StepAsync("forgot");

            await page.Locator("#email").FillAsync(email);
            await j.SubmitFormAsync(page.Locator("main button[type=submit]"));
            await Expect(page.GetByTestId("forgot-sent")).ToContainTextAsync(email);
            await j.StepAsync("forgot-sent");

            var link = await MailedLinkAsync(j.App, email);
            await j.GotoAsync(link);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choose a new password", Level = 1 })).ToBeVisibleAsync();
            await j.StepAsync("reset");

            // The same page in French; a password the policy refuses is explained next to the field.
            await Steps.SwitchLanguageAsync(j, "fr");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Choisissez un nouveau mot de passe", Level = 1 })).ToBeVisibleAsync();
            await j.StepAsync("reset-fr");
            await page.Locator("#newPassword").FillAsync("court");
            await page.Locator("#confirmPassword").FillAsync("court");
            await j.SubmitFormAsync(page.Locator("main button[type=submit]"));
            await Expect(page.GetByRole(AriaRole.Alert).First).ToBeVisibleAsync();
            await Expect(page.Locator(".tk-field-error").First).ToBeVisibleAsync();
            await j.StepAsync("reset-weak-fr");

            await page.Locator("#newPassword").FillAsync(NewPassword);
            await page.Locator("#confirmPassword").FillAsync(NewPassword);
            await j.SubmitFormAsync(page.Locator("main button[type=submit]"));
            await Expect(page.GetByTestId("reset-done")).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Votre mot de passe a changé", Level = 1 })).ToBeVisibleAsync();
            await j.StepAsync("reset-done-fr");

            // The link works once.
            await j.GotoAsync(link);
            await page.Locator("#newPassword").FillAsync(NewPassword + "2");
            await page.Locator("#confirmPassword").FillAsync(NewPassword + "2");
            await j.SubmitFormAsync(page.Locator("main button[type=submit]"));
            await Expect(page.GetByTestId("reset-invalid")).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Demander un nouveau lien" })).ToBeVisibleAsync();
            await j.StepAsync("reset-used-fr");

            // The forgot page in French too, then back to English and sign in with the new password.
            await j.GotoAsync("/account/forgot-password");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mot de passe oublié", Level = 1 })).ToBeVisibleAsync();
            await j.StepAsync("forgot-fr");
            await j.GotoAsync("/account/login");
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Mot de passe oublié\u202F?" })).ToBeVisibleAsync();
            await j.StepAsync("sign-in-fr");
            await Steps.SwitchLanguageAsync(j, "en");
            await Steps.SignInAsync(j, email, NewPassword);
            await Expect(page.Locator(".tk-account-btn")).ToBeVisibleAsync();
            await j.StepAsync("signed-in");
        });

    /// <summary>The reset link from the mail the outbox job writes under App_Data/mail (it runs every few seconds).</summary>
    private static async Task<string> MailedLinkAsync(PublishedApp app, string email)
    {
        var dir = Path.Combine(app.ContentRoot, "App_Data", "mail");
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (Directory.Exists(dir))
            {
                foreach (var file in Directory.GetFiles(dir, "*.eml"))
                {
                    MimeMessage mail;
                    try { mail = await MimeMessage.LoadAsync(file); }
                    catch (IOException) { continue; } // still being written
                    if (mail.To.Mailboxes.All(m => m.Address != email)) continue;
                    var match = LinkPattern().Match(mail.TextBody ?? "");
                    if (!match.Success) continue; // another mail to the same address (the registration's confirmation)
                    var url = match.Value;
                    return url.StartsWith('/') ? url : new Uri(url).PathAndQuery;
                }
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"No reset mail for {email} in {dir} within 90 s:\n{app.Log}");
    }

    [GeneratedRegex(@"\S*/account/reset-password\?\S+")]
    private static partial Regex LinkPattern();
}
