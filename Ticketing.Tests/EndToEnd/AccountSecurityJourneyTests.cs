using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// A fan's own account, from the account page (desktop in English, phone in French): a wrong current password is
/// explained next to the field, the password changes and every session ends, the fan signs in again with it; the email
/// changes only once the link mailed to the new address is opened; "Download my data" gives the JSON export with the
/// new address; the account is deleted with the password and can no longer sign in.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class AccountSecurityJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    private const string NewPassword = PublishedApp.Password + "-moved";

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public Task Fan_ChangesPasswordAndEmail_DownloadsTheData_AndDeletesTheAccount(string viewport) =>
        Journey.RunAsync(fixture, output, "account-security", viewport, async j =>
        {
            var page = j.Page;
            var fr = j.IsPhone;
            var email = await j.App.RegisterCustomerAsync(displayName: "Security Fan");
            var newEmail = "moved-" + email;

            await j.GotoAsync("/account/login?returnUrl=%2Faccount");
            await Steps.SignInAsync(j, email, PublishedApp.Password);
            if (fr) await Steps.SwitchLanguageAsync(j, "fr");
            await page.GetByTestId("account-security-link").ClickAsync();
            await page.WaitForUrlCommittedAsync("**/account/security");
            await j.WaitForBlazorAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = fr ? "Mot de passe et e-mail" : "Password and email", Level = 1 })).ToBeVisibleAsync();
            await j.StepAsync("security");

            // A wrong current password: said next to the field, nothing changes.
            await Input(page, "security-pw-current").FillAsync("not-my-password");
            await Input(page, "security-pw-new").FillAsync(NewPassword);
            await Input(page, "security-pw-confirm").FillAsync(NewPassword);
            await page.GetByTestId("security-pw-save").ClickAsync();
            await Expect(page.Locator(".mud-input-error").First).ToBeVisibleAsync();
            await j.StepAsync("wrong-password");

            await Input(page, "security-pw-current").FillAsync(PublishedApp.Password);
            await page.GetByTestId("security-pw-save").ClickAsync();
            await Expect(page.GetByTestId("security-password-done")).ToBeVisibleAsync();
            await j.StepAsync("password-changed");

            // Every session was signed out: sign in again, with the new password.
            await page.GetByTestId("security-sign-in").ClickAsync();
            await page.WaitForUrlCommittedAsync("**/account/login**");
            await j.WaitForBlazorAsync();
            await Steps.SubmitSignInAsync(j, email, PublishedApp.Password);
            await Expect(page.Locator("main [role=alert]").First).ToBeVisibleAsync(); // the old password no longer works
            await Steps.SignInAsync(j, email, NewPassword);
            await page.WaitForUrlCommittedAsync("**/account/security");
            await j.WaitForBlazorAsync();

            // The email: a link to the new address; the address changes when it is opened.
            await Input(page, "security-email-new").FillAsync(newEmail);
            await Input(page, "security-email-current").FillAsync(NewPassword);
            await page.GetByTestId("security-email-save").ClickAsync();
            await Expect(page.GetByTestId("security-email-sent")).ToContainTextAsync(newEmail);
            await j.StepAsync("email-link-sent");
            var link = await MailedLinks.WaitForLinkAsync(j.App, newEmail, ConfirmLink());
            await j.GotoAsync(link);
            await Expect(page.GetByTestId("email-change-done")).ToContainTextAsync(newEmail);
            await j.StepAsync("email-changed");

            // Signed in with the new address; the export carries it.
            await j.GotoAsync("/account/login?returnUrl=%2Faccount");
            await Steps.SignInAsync(j, newEmail, NewPassword);
            await Expect(page.GetByTestId("account-export")).ToBeVisibleAsync();
            await j.StepAsync("account");
            var export = await page.APIRequest.GetAsync("/api/me/export");
            Assert.Equal(200, export.Status);
            var json = JsonSerializer.Deserialize<JsonElement>(await export.TextAsync());
            Assert.Contains(newEmail, json.GetRawText(), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(NewPassword, json.GetRawText(), StringComparison.Ordinal);

            // Delete: a wrong password is refused; the right one erases the account and signs out.
            await j.GotoAsync("/account/security");
            await Input(page, "security-delete-current").FillAsync("not-my-password");
            await page.GetByTestId("security-delete").ClickAsync();
            await Expect(page.Locator(".mud-input-error").First).ToBeVisibleAsync();
            await j.StepAsync("delete-refused");
            await Input(page, "security-delete-current").FillAsync(NewPassword);
            await page.GetByTestId("security-delete").ClickAsync();
            await page.WaitForUrlCommittedAsync(new Uri(j.App.BaseUrl, "/").ToString());
            await j.WaitForBlazorAsync();
            await Expect(page.Locator(".tk-account-btn")).ToHaveCountAsync(0);
            await j.StepAsync("deleted");
            await j.GotoAsync("/account/login");
            await Steps.SubmitSignInAsync(j, newEmail, NewPassword);
            await Expect(page.Locator("main [role=alert]").First).ToBeVisibleAsync();
        });

    /// <summary>The input of a MudBlazor text field (the test id may sit on the input or on its wrapper).</summary>
    private static ILocator Input(IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;

    [GeneratedRegex(@"\S*/account/confirm-email\?\S+")]
    private static partial Regex ConfirmLink();
}
