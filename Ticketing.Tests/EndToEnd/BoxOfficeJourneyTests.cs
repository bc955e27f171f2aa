using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.Tests.EndToEnd;

/// <summary>The organizer sells at the desk, then refunds one ticket of the order from the order page (EN then FR).</summary>
[Collection(EndToEndCollection.Name)]
public sealed class BoxOfficeJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public Task Organizer_SellsAtTheDesk_AndRefundsOneTicket(string viewport) =>
        Journey.RunAsync(fixture, output, "box-office", viewport, async j =>
        {
            var page = j.Page;
            var email = await j.App.CreateUserAsync("Organizer", displayName: "Salle des fêtes");
            var api = await j.App.ClientForAsync(email, PublishedApp.Password);
            var created = await api.PostAsJsonAsync("/api/events", new
            {
                title = "Gala du guichet", description = "Box-office journey.", category = "Concert", bookingFee = 1.50m,
                performances = new[]
                {
                    new
                    {
                        startsAt = DateTimeOffset.UtcNow.AddDays(30), venue = new { name = "Salle des fêtes", city = "Lyon", address = "1 place Bellecour" },
                        categories = new object[] { new { name = "Placement libre", price = 12m, capacity = 100 }, new { name = "Balcon", price = 8m, capacity = 40, vatRate = 5.5m } },
                    },
                },
            });
            var ev = await created.Content.ReadFromJsonAsync<JsonElement>();
            var eventId = ev.GetProperty("id").GetGuid();
            (await api.PostAsync($"/api/events/{eventId}/publish", null)).EnsureSuccessStatusCode();

            await j.GotoAsync($"/dashboard/events/{eventId}/box-office");
            await page.WaitForURLAsync("**/account/login**");
            await j.WaitForBlazorAsync();
            await Steps.SignInAsync(j, email, PublishedApp.Password);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Box office", Level = 1 })).ToBeVisibleAsync();
            await page.Locator(".tk-bo-qty input").First.FillAsync("3");
            await page.Locator("#bo-buyer").FillAsync("Jean Guichet");
            await j.StepAsync("box-office-en", checkPage: false);
            await page.GetByTestId("bo-sell").ClickAsync();
            await Expect(page.GetByTestId("bo-result")).ToBeVisibleAsync();
            await j.StepAsync("box-office-sold-en", checkPage: false);

            await page.GetByRole(AriaRole.Link, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Order ") }).ClickAsync();
            await Expect(page.GetByTestId("refund-order")).ToBeVisibleAsync();
            await j.StepAsync("order-view-en", checkPage: false);
            await page.GetByTestId("refund-ticket").First.ClickAsync();
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Refund" }).ClickAsync();
            await Expect(page.GetByTestId("credit-note")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Partly refunded");
            await j.StepAsync("order-view-refunded-en", checkPage: false);

            await Steps.SwitchLanguageAsync(j, "fr");
            await Expect(page.GetByTestId("order-status")).ToHaveTextAsync("Remboursée en partie");
            await j.StepAsync("order-view-refunded-fr", checkPage: false);
            await j.GotoAsync($"/dashboard/events/{eventId}/box-office");
            await j.WaitForBlazorAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Guichet", Level = 1 })).ToBeVisibleAsync();
            await j.StepAsync("box-office-fr", checkPage: false);
        });
}
