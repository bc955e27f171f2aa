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
            await page.WaitForUrlCommittedAsync("**/account/login**");
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

    [Theory]
    [InlineData("desktop", "en")]
    [InlineData("phone", "fr")]
    public Task Organizer_SellsNumberedSeatsAtTheDesk_ByBestAvailable(string viewport, string language) =>
        Journey.RunAsync(fixture, output, "box-office-seated", viewport, async j =>
        {
            var page = j.Page;
            var email = await j.App.CreateUserAsync("Organizer", displayName: "Théâtre municipal");
            var api = await j.App.ClientForAsync(email, PublishedApp.Password);
            var generated = await (await api.PostAsJsonAsync("/api/seating-plans/generate", new
            {
                name = "Salle", blocks = new[] { new { section = "Parterre", rows = 3, seatsPerRow = 8, category = "Orchestre" } },
            })).Content.ReadFromJsonAsync<JsonElement>();
            var plan = await (await api.PostAsync("/api/seating-plans", JsonContent.Create(generated))).Content.ReadFromJsonAsync<JsonElement>();
            var created = await api.PostAsJsonAsync("/api/events", new
            {
                title = "Le Misanthrope", description = "Seated box-office journey.", category = "Theatre",
                performances = new[]
                {
                    new
                    {
                        startsAt = DateTimeOffset.UtcNow.AddDays(30), venue = new { name = "Théâtre municipal", city = "Lyon", address = "1 rue" },
                        categories = new[] { new { name = "Orchestre", price = 25m, capacity = 1 } }, seatingPlanId = plan.GetProperty("id").GetGuid(),
                    },
                },
            });
            var eventId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            (await api.PostAsync($"/api/events/{eventId}/publish", null)).EnsureSuccessStatusCode();

            await j.GotoAsync($"/dashboard/events/{eventId}/box-office");
            await page.WaitForUrlCommittedAsync("**/account/login**");
            await j.WaitForBlazorAsync();
            await Steps.SignInAsync(j, email, PublishedApp.Password);
            if (language == "fr") await Steps.SwitchLanguageAsync(j, "fr");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = language == "fr" ? "Guichet" : "Box office", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByTestId("bo-best-available")).ToContainTextAsync(language == "fr" ? "côte à côte" : "side by side");
            await page.Locator(".tk-bo-qty input").First.FillAsync("2");
            await page.Locator("#bo-buyer").FillAsync("Alceste <b>& Célimène</b>");
            await j.StepAsync($"box-office-seated-{language}", checkPage: false);
            await page.GetByTestId("bo-sell").ClickAsync();
            var seats = page.GetByTestId("bo-seats").Locator("li");
            await Expect(seats).ToHaveCountAsync(2);
            // The best seats: the front row, side by side, around its centre (seats 4 and 5 of 8).
            await Expect(seats.First).ToContainTextAsync(language == "fr" ? "Rang A" : "Row A");
            var texts = await seats.AllInnerTextsAsync();
            Assert.Equal(new[] { "4", "5" }, texts.Select(t => t.Split(' ').Last()).Order());
            await j.StepAsync($"box-office-seated-sold-{language}", checkPage: false);

            // The editor says how the date is seated (fixed at its creation: no plan selector for it).
            await j.GotoAsync($"/dashboard/events/{eventId}/edit");
            await j.WaitForBlazorAsync();
            await Expect(page.GetByTestId("performance-seating")).ToContainTextAsync(language == "fr" ? "places numérotées" : "numbered seats");
            await Expect(page.GetByTestId("performance-plan")).ToHaveCountAsync(0);
            await j.StepAsync($"editor-seated-{language}", checkPage: false);
        });
}
