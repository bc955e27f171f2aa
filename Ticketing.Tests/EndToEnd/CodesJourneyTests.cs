using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// Issue 25 item 1 and issue 23 item 5 in the browser: the organizer creates a promo code and a presale access code on the
/// event's Codes page; a fan types the access code on the event page, sees the presale-only category, books it with the
/// promo code, and the checkout shows the discount. Desktop in English, phone in French.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class CodesJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("desktop", "en")]
    [InlineData("phone", "fr")]
    public Task Organizer_CreatesCodes_AndAFan_BuysThePresaleCategory_WithTheDiscount(string viewport, string lang) =>
        Journey.RunAsync(fixture, output, $"codes-{lang}", viewport, async j =>
        {
            var page = j.Page;
            var fr = lang == "fr";
            var organizer = await j.App.CreateUserAsync("Organizer", displayName: "Théâtre des Codes");
            var api = await j.App.ClientForAsync(organizer, PublishedApp.Password);
            var created = await api.PostAsJsonAsync("/api/events", new
            {
                title = $"Gala des codes {lang}", description = "Codes journey.", category = "Concert",
                performances = new[]
                {
                    new
                    {
                        startsAt = DateTimeOffset.UtcNow.AddDays(30), venue = new { name = "Théâtre", city = "Nantes", address = "1 rue Crébillon" },
                        categories = new object[]
                        {
                            new { name = "Parterre", price = 40m, capacity = 100 },
                            new { name = "Fan club", price = 30m, capacity = 20, presaleOnly = true },
                        },
                    },
                },
            });
            var ev = await created.Content.ReadFromJsonAsync<JsonElement>();
            var eventId = ev.GetProperty("id").GetGuid();
            var performanceId = ev.GetProperty("performances")[0].GetProperty("id").GetGuid();
            (await api.PostAsync($"/api/events/{eventId}/publish", null)).EnsureSuccessStatusCode();

            // The organizer: the sales page links to the Codes page; a promo code (10 %) and an access code.
            await j.GotoAsync($"/dashboard/events/{eventId}/codes");
            await page.WaitForUrlCommittedAsync("**/account/login**");
            await j.WaitForBlazorAsync();
            await Steps.SignInAsync(j, organizer, PublishedApp.Password);
            if (fr) await Steps.SwitchLanguageAsync(j, "fr");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = fr ? "Codes promo et de prévente" : "Promo and presale codes", Level = 1 })).ToBeVisibleAsync();
            await j.StepAsync("codes-empty", checkPage: false);

            await page.Locator("input[data-testid=code-text]").FillAsync("GALA10");
            await page.Locator("input[data-testid=code-value]").FillAsync("10");
            await page.GetByTestId("code-create").ClickAsync();
            await Expect(page.GetByTestId("promo-row")).ToHaveCountAsync(1);
            await Expect(page.GetByTestId("promo-row")).ToContainTextAsync("GALA10");

            await page.GetByTestId("code-kind-access").ClickAsync();
            await page.Locator("input[data-testid=code-text]").FillAsync("FANCLUB");
            await page.GetByTestId("code-create").ClickAsync();
            await Expect(page.GetByTestId("access-row")).ToHaveCountAsync(1);
            await Expect(page.GetByTestId("access-row")).ToContainTextAsync("FANCLUB");
            await Expect(page.GetByTestId("access-row")).ToContainTextAsync(fr ? "0 sur 100" : "0 of 100");
            await j.StepAsync("codes-created", checkPage: false);

            // A code already taken is explained at the field, and nothing is added.
            await page.Locator("input[data-testid=code-text]").FillAsync("FANCLUB");
            await page.GetByTestId("code-create").ClickAsync();
            await Expect(page.GetByTestId("code-form")).ToContainTextAsync(fr ? "Cet événement a déjà ce code." : "This event already has this code.");
            await Expect(page.GetByTestId("access-row")).ToHaveCountAsync(1);
            await Steps.SignOutAsync(j, fr ? "Se déconnecter" : "Sign out");

            // The fan: the presale-only category is hidden until the access code is applied.
            var fan = await j.App.RegisterCustomerAsync(displayName: "Code Fan");
            await j.GotoAsync($"/account/login?returnUrl=%2Fevents%2F{eventId}%3Fdate%3D{performanceId}");
            await j.WaitForBlazorAsync();
            await Steps.SignInAsync(j, fan, PublishedApp.Password);
            await page.WaitForUrlCommittedAsync("**/events/**date=**");
            await j.WaitForBlazorAsync();
            var panel = page.GetByTestId("booking-panel");
            await Expect(panel).ToBeVisibleAsync();
            await Expect(panel).Not.ToContainTextAsync("Fan club");
            await panel.Locator("summary").ClickAsync();
            await page.GetByTestId("access-code").FillAsync("fan-club");
            await page.GetByTestId("apply-access-code").ClickAsync();
            await Expect(page.GetByTestId("qty-Fan club")).ToBeVisibleAsync();
            await Expect(panel).ToContainTextAsync("FANCLUB"); // the code as it counts, not as typed
            await j.StepAsync("presale-open");

            await PurchaseJourneyTests.SetQuantityAsync(page, "Fan club", 2);
            await page.GetByTestId("promo-code").FillAsync("gala10");
            await page.GetByTestId("book-button").ClickAsync();
            await page.WaitForUrlCommittedAsync("**/checkout/**");
            await j.WaitForBlazorAsync();
            var discount = page.GetByTestId("checkout-discount");
            await Expect(discount).ToBeVisibleAsync();
            await Expect(discount).ToContainTextAsync("GALA10");
            await Expect(discount).ToContainTextAsync(fr ? "-6,00" : "-€6.00"); // 10 % of 2 × 30
            await j.StepAsync("checkout-discount");

            // Both codes counted once (a new token: signing out above ended the organizer's sessions).
            api = await j.App.ClientForAsync(organizer, PublishedApp.Password);
            var promos = await api.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/promo-codes");
            Assert.Equal(1, promos.GetProperty("items")[0].GetProperty("uses").GetInt32());
            var access = await api.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}/access-codes");
            Assert.Equal(1, access.GetProperty("items")[0].GetProperty("uses").GetInt32());
        });
}
