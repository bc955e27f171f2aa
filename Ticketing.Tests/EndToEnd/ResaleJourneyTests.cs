using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Ticketing.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// Issue 24 items 4 and 5 in the browser. A date is sold out; a fan joins its waiting list from the booking panel. The
/// seller puts a ticket up for resale from My tickets (above face value is refused at the field). The waiting fan
/// sees the offer on the date's panel, buys it through the hosted payment and has the ticket; the seller's is void.
/// Desktop in English, phone in French.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ResaleJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Theory]
    [InlineData("desktop", "en")]
    [InlineData("phone", "fr")]
    public Task AFanResells_AndAWaitingFan_BuysTheTicket(string viewport, string lang) =>
        Journey.RunAsync(fixture, output, $"resale-{lang}", viewport, async j =>
        {
            var page = j.Page;
            var fr = lang == "fr";
            var planted = await PlantAsync(j.App);

            // The waiting fan: the date is sold out; joining the waiting list shows the place.
            var fan = await j.App.RegisterCustomerAsync(displayName: "Waiting Fan");
            await SignInToAsync(j, fan, $"/events/{planted.EventId}?date={planted.PerformanceId}", fr);
            await Expect(page.GetByTestId("booking-panel")).ToBeVisibleAsync();
            // Nothing to book: no Book button and no total of 0, a sentence instead.
            await Expect(page.GetByTestId("booking-nothing-left")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("book-button")).ToHaveCountAsync(0);
            await page.GetByTestId("waitlist-join").ClickAsync();
            await Expect(page.GetByTestId("waitlist-place")).ToContainTextAsync("1");
            await j.StepAsync("waitlist-joined");
            await Steps.SignOutAsync(j, fr ? "Se déconnecter" : "Sign out");

            // The seller: My tickets -> Sell; a price above face value is refused, face value is listed.
            await SignInToAsync(j, planted.SellerEmail, "/account/tickets", fr: false);
            await Expect(page.GetByTestId("ticket")).ToHaveCountAsync(2);
            await page.GetByTestId("ticket-sell").First.ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Expect(dialog).ToBeVisibleAsync();
            var price = dialog.Locator("input[data-testid=resale-price], [data-testid=resale-price] input").First;
            await price.FillAsync("99");
            await dialog.GetByTestId("resale-sell").ClickAsync();
            await Expect(dialog).ToBeVisibleAsync();
            await j.StepAsync("resale-above-face-value");
            await price.FillAsync("25");
            await dialog.GetByTestId("resale-sell").ClickAsync();
            await Expect(dialog).ToHaveCountAsync(0);
            await j.StepAsync("resale-listed");
            await Steps.SignOutAsync(j, fr ? "Se déconnecter" : "Sign out");

            // The waiting fan sees the offer and buys it.
            await SignInToAsync(j, fan, $"/events/{planted.EventId}?date={planted.PerformanceId}", fr: false);
            await Expect(page.GetByTestId("resale-offers")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("resale-offers")).ToContainTextAsync(fr ? "25,00" : "€25.00");
            await j.StepAsync("resale-offer");
            await page.GetByTestId("resale-buy").First.ClickAsync();
            await page.WaitForUrlCommittedAsync("**/checkout/**");
            await j.WaitForBlazorAsync();
            await Steps.GoToHostedPageAsync(j);
            await page.GetByTestId("card-number").FillAsync("4242 4242 4242 4242");
            await page.GetByTestId("card-expiry").FillAsync("12/34");
            await page.GetByTestId("card-cvc").FillAsync("123");
            await page.GetByTestId("card-name").FillAsync("Waiting Fan");
            await page.GetByTestId("pay-button").ClickAsync();
            await Expect(page.GetByTestId("order-confirmation")).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await j.StepAsync("resale-bought");

            await j.GotoAsync("/account/tickets");
            await Expect(page.GetByTestId("ticket")).ToHaveCountAsync(1);

            // The seller's ticket is void; the fan's new one scans.
            using var organizer = await j.App.ClientForAsync(planted.OrganizerEmail, TicketingApp.Password);
            var old = await (await organizer.PostAsJsonAsync("/api/checkin", new { code = planted.SoldCode })).Content.ReadFromJsonAsync<JsonElement>(Json);
            Assert.Equal("Voided", old.GetProperty("result").GetString());
        });

    private static async Task SignInToAsync(Journey j, string email, string path, bool fr)
    {
        await j.GotoAsync($"/account/login?returnUrl={Uri.EscapeDataString(path)}");
        await j.WaitForBlazorAsync();
        if (fr) await Steps.SwitchLanguageAsync(j, "fr");
        await Steps.SignInAsync(j, email, PublishedApp.Password);
        await j.Page.WaitForUrlCommittedAsync(url => !url.Contains("/account/login"));
        await j.WaitForBlazorAsync();
    }

    private sealed record Planted(string OrganizerEmail, string SellerEmail, Guid EventId, Guid PerformanceId, string SoldCode);

    private static async Task<Planted> PlantAsync(PublishedApp app)
    {
        var organizerEmail = await app.CreateUserAsync("Organizer", displayName: "Resale Organizer");
        using var organizer = await app.ClientForAsync(organizerEmail, TicketingApp.Password);
        var created = await organizer.PostAsJsonAsync("/api/events", new
        {
            title = $"Sold-out gala {Guid.NewGuid().ToString("N")[..6]}", description = "Resale journey.", category = "Concert",
            performances = new[]
            {
                new
                {
                    startsAt = DateTimeOffset.UtcNow.Date.AddDays(12).AddHours(19),
                    venue = new { name = "Salle Rameau", city = "Lyon", address = "29 rue de la Martinière" },
                    categories = new[] { new { name = "Placement libre", price = 25.0m, capacity = 2 } },
                },
            },
        });
        var ev = await created.Content.ReadFromJsonAsync<JsonElement>(Json);
        var eventId = ev.GetProperty("id").GetGuid();
        (await organizer.PutAsJsonAsync($"/api/events/{eventId}/resale", new { enabled = true })).EnsureSuccessStatusCode();
        (await organizer.PostAsync($"/api/events/{eventId}/publish", null)).EnsureSuccessStatusCode();
        var performance = ev.GetProperty("performances")[0];
        var performanceId = performance.GetProperty("id").GetGuid();
        var categoryId = performance.GetProperty("categories")[0].GetProperty("id").GetGuid();

        // The seller buys the whole date (2 seats): sold out.
        var sellerEmail = await app.RegisterCustomerAsync(displayName: "Reselling Fan");
        using var seller = await app.ClientForAsync(sellerEmail, PublishedApp.Password);
        var order = await (await seller.PostAsJsonAsync("/api/orders", new { performanceId, items = new[] { new { categoryId, quantity = 2 } } }))
            .Content.ReadFromJsonAsync<JsonElement>(Json);
        var paid = await (await seller.PostAsJsonAsync($"/api/orders/{order.GetProperty("id").GetGuid()}/payment", new
        {
            cardNumber = "4242424242424242", expiryMonth = 12, expiryYear = DateTime.UtcNow.Year + 3, cvc = "123", cardholderName = "Reselling Fan",
        })).Content.ReadFromJsonAsync<JsonElement>(Json);
        // My tickets lists the newest first: the first "Sell" button is for the first ticket listed.
        var tickets = await seller.GetFromJsonAsync<JsonElement>("/api/tickets", Json);
        var first = tickets.GetProperty("items")[0].GetProperty("id").GetGuid();
        var ticket = await seller.GetFromJsonAsync<JsonElement>($"/api/tickets/{first}", Json);
        Assert.Equal(2, paid.GetProperty("tickets").GetArrayLength());
        return new Planted(organizerEmail, sellerEmail, eventId, performanceId, ticket.GetProperty("code").GetString()!);
    }
}
