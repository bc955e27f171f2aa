using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.Tests.EndToEnd;

/// <summary>The admin: create an organizer, lock a user, see the locked user refused at sign-in.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class AdminJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public Task Admin_CreatesAnOrganizerLocksACustomer_AndTheLockedCustomerIsRefusedAtSignIn(string viewport) =>
        Journey.RunAsync(fixture, output, "admin", viewport, async j =>
        {
            var page = j.Page;
            var customer = await j.App.RegisterCustomerAsync(displayName: "Soon Locked Fan");
            var organizer = $"organizer-{Guid.NewGuid():N}@e2e.local";

            // Sign in as the Admin, coming back to the users grid.
            await j.GotoAsync("/admin/users");
            await page.WaitForUrlCommittedAsync("**/account/login**");
            await j.WaitForBlazorAsync();
            await j.StepAsync("sign-in");
            await Steps.SignInAsync(j, PublishedApp.AdminEmail, PublishedApp.AdminPassword);
            Assert.EndsWith("/admin/users", new Uri(page.Url).AbsolutePath);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users", Level = 1 })).ToBeVisibleAsync();
            await j.StepAsync("users-grid");

            // Create an Organizer through the dialog.
            await page.GetByRole(AriaRole.Button, new() { Name = "New user" }).ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Expect(dialog).ToBeVisibleAsync();
            await dialog.GetByLabel("Email").FillAsync(organizer);
            await dialog.GetByLabel("Password").FillAsync(PublishedApp.Password);
            await dialog.GetByLabel("Name").FillAsync("E2E Organizer");
            await j.StepAsync("new-user-dialog");
            await SelectRoleAsync(page, dialog, "Organizer");
            await j.StepAsync("new-user-roles", checkPage: false);
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
            await Expect(dialog).ToBeHiddenAsync();
            await Expect(page.GetByText("The user has been saved.")).ToBeVisibleAsync();
            await SearchAsync(page, organizer);
            var organizerRow = page.Locator("tr", new() { HasText = organizer });
            await Expect(organizerRow.GetByText("Organizer", new() { Exact = true })).ToBeVisibleAsync();
            await j.StepAsync("organizer-created");

            // Lock the customer (registered through the API before).
            await SearchAsync(page, customer);
            await page.GetByRole(AriaRole.Button, new() { Name = $"Lock {customer}", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = $"Unlock {customer}", Exact = true })).ToBeVisibleAsync();
            await Expect(page.Locator("tr", new() { HasText = customer }).GetByText("Locked", new() { Exact = true })).ToBeVisibleAsync();
            await j.StepAsync("customer-locked");

            // Sign out.
            await Steps.SignOutAsync(j);
            await Expect(page.Locator("header").GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
            await j.StepAsync("signed-out");

            // The locked customer is refused, with the message in the page's language (French on the phone run).
            await j.GotoAsync("/account/login");
            var expected = "This account is locked. Try again later or contact support.";
            if (j.IsPhone)
            {
                await Steps.SwitchLanguageAsync(j, "fr");
                expected = "Ce compte est verrouillé. Réessayez plus tard ou contactez le support.";
            }
            await Steps.SubmitSignInAsync(j, customer, PublishedApp.Password);
            await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(expected);
            Assert.Contains("/account/login", page.Url);
            await j.StepAsync("locked-user-refused");

            // The organizer created through the dialog can sign in and reaches the organizer menu.
            await j.GotoAsync("/account/login");
            await Steps.SignInAsync(j, organizer, PublishedApp.Password);
            await Steps.OpenAccountMenuAsync(j);
            await Expect(Steps.AccountMenu(j).GetByRole(AriaRole.Link, new() { Name = j.IsPhone ? "Tableau de bord" : "Dashboard" })).ToBeVisibleAsync();
            await j.StepAsync("organizer-signed-in", checkPage: false);
        });

    /// <summary>MudSelect (multi-selection): open it, tick the role, close the list without closing the dialog.</summary>
    private static async Task SelectRoleAsync(IPage page, ILocator dialog, string role)
    {
        await dialog.GetByLabel("Roles").ClickAsync();
        var option = page.GetByRole(AriaRole.Option, new() { Name = role });
        await option.ClickAsync();
        // Close the popover by clicking the dialog's title area (Escape would close the dialog itself).
        await dialog.GetByLabel("Name").ClickAsync();
        await Expect(option).ToBeHiddenAsync();
    }

    private static async Task SearchAsync(IPage page, string text)
    {
        var search = page.GetByPlaceholder("Search by email or name");
        await search.FillAsync(text);
        await Expect(page.Locator("tbody tr", new() { HasText = text })).ToHaveCountAsync(1);
    }
}
