using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.Tests.EndToEnd;

/// <summary>Small steps several journeys share, written against what the user sees (roles, labels, texts).</summary>
public static class Steps
{
    /// <summary>Fills the static sign-in form and waits for the page it lands on.</summary>
    public static async Task SignInAsync(Journey j, string email, string password)
    {
        await SubmitSignInAsync(j, email, password);
        await j.Page.WaitForUrlCommittedAsync(url => !url.Contains("/account/login", StringComparison.Ordinal));
        await j.WaitForBlazorAsync();
    }

    /// <summary>Fills and posts the sign-in form without expecting success.</summary>
    public static async Task SubmitSignInAsync(Journey j, string email, string password)
    {
        await j.Page.Locator("#email").FillAsync(email);
        await j.Page.Locator("#password").FillAsync(password);
        await j.SubmitFormAsync(j.Page.Locator("main button[type=submit]"));
    }

    /// <summary>Opens the header's account menu (a &lt;details&gt;: works on static pages too, no circuit needed).</summary>
    public static async Task OpenAccountMenuAsync(Journey j)
    {
        await j.Page.Locator(".tk-account-btn").ClickAsync();
        await Expect(AccountMenu(j)).ToBeVisibleAsync();
    }

    /// <summary>The open account menu's panel: a navigation list of links (and the sign-out button).</summary>
    public static ILocator AccountMenu(Journey j) => j.Page.Locator("nav.tk-account-panel");

    public static async Task SignOutAsync(Journey j, string signOutText = "Sign out")
    {
        await OpenAccountMenuAsync(j);
        await j.Page.GetByRole(AriaRole.Button, new() { Name = signOutText }).ClickAsync();
        await j.Page.WaitForUrlCommittedAsync(new Uri(j.App.BaseUrl, "/").ToString());
        await j.WaitForBlazorAsync();
    }

    /// <summary>The header's language link (a full page load through /culture/set that comes back to the same page).</summary>
    public static async Task SwitchLanguageAsync(Journey j, string lang)
    {
        var before = new Uri(j.Page.Url).PathAndQuery;
        await j.Page.Locator($"nav.tk-lang a[hreflang={lang}]").ClickAsync();
        await j.Page.WaitForFunctionAsync($"() => document.documentElement.lang === '{lang}'");
        await j.WaitForBlazorAsync();
        Assert.Equal(before, new Uri(j.Page.Url).PathAndQuery);
    }

    /// <summary>On the checkout page: "Pay" opens the (simulated) hosted payment page, a full page load.</summary>
    public static async Task GoToHostedPageAsync(Journey j)
    {
        await j.Page.GetByTestId("checkout-pay").ClickAsync();
        // Waits for the new document's commit, not for "load": on a loaded box Playwright twice never reported "load" for a page
        // that was already there (a CI run and a local one); the checks below poll the DOM, which survives navigations.
        await j.Page.WaitForUrlCommittedAsync("**/pay/simulated/**", 40_000);
        await j.WaitForBlazorAsync();
        await Assertions.Expect(j.Page.GetByTestId("simpay-test-banner")).ToBeVisibleAsync();
    }
}
