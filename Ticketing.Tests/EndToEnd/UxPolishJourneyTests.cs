using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.Tests.EndToEnd;

/// <summary>Issue 18: a second reservation of the same date, the door, organizer forms and formats, as people meet them.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class UxPolishJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>a fan holds a date -> back on the event page, books the same date again -> lands on the running checkout, told so (EN, FR).</summary>
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public Task A_second_booking_of_the_same_date_takes_the_fan_back_to_the_running_reservation(string viewport) =>
        Journey.RunAsync(fixture, output, "second-hold", viewport, async j =>
        {
            var page = j.Page;
            var title = $"Twice Night {Guid.NewGuid().ToString("N")[..6]}";
            var (eventId, _) = await CreatePublishedEventAsync(j.App, title);
            var fan = await j.App.RegisterCustomerAsync();
            await j.GotoAsync("/account/login");
            await Steps.SignInAsync(j, fan, PublishedApp.Password);

            async Task BookOneAsync()
            {
                await j.GotoAsync($"/events/{eventId}");
                await page.GetByTestId("performance").First.GetByRole(AriaRole.Link).ClickAsync();
                await page.WaitForUrlCommittedAsync("**date=**");
                await j.WaitForBlazorAsync();
                await page.GetByTestId("qty-Cat 1").GetByTestId("qty-increase").ClickAsync();
                await Expect(page.GetByTestId("qty-Cat 1").GetByTestId("qty-value")).ToHaveTextAsync("1");
                await page.GetByTestId("book-button").ClickAsync();
                await page.WaitForUrlCommittedAsync("**/checkout/**");
                await j.WaitForBlazorAsync();
                await Expect(page.GetByTestId("hold-countdown")).ToBeVisibleAsync();
            }

            await BookOneAsync();
            var first = new Uri(page.Url).AbsolutePath;
            await Expect(page.GetByTestId("hold-resumed")).ToHaveCountAsync(0);

            await BookOneAsync();
            Assert.Equal(first, new Uri(page.Url).AbsolutePath);
            await Expect(page.GetByTestId("hold-resumed")).ToContainTextAsync("You already have a reservation running for this date");
            await j.StepAsync("hold-resumed");

            await Steps.SwitchLanguageAsync(j, "fr");
            await Expect(page.GetByTestId("hold-resumed")).ToContainTextAsync("Vous avez déjà une réservation en cours pour cette date");
            await j.StepAsync("hold-resumed-fr");
        });

    /// <summary>organizer at the door on a phone -> the chosen date is shown whole -> the printed number typed by hand admits -> again: already used (EN, FR).</summary>
    [Theory]
    [InlineData("phone")]
    [InlineData("desktop")]
    public Task At_the_door_the_printed_ticket_number_typed_by_hand_admits_and_the_chosen_date_is_shown_whole(string viewport) =>
        Journey.RunAsync(fixture, output, "door-number", viewport, async j =>
        {
            var page = j.Page;
            var title = $"A Rather Long Door Night Title For A Phone {Guid.NewGuid().ToString("N")[..6]}";
            var (eventId, organizer) = await CreatePublishedEventAsync(j.App, title);
            var fan = await j.App.RegisterCustomerAsync();
            var number = await BuyThroughApiAsync(j.App, fan, eventId);

            await j.GotoAsync("/account/login");
            await Steps.SignInAsync(j, organizer, PublishedApp.Password);
            await j.GotoAsync("/door");
            await Expect(page.GetByTestId("footer-api-docs")).ToHaveCountAsync(1); // organizers do
            var chosen = page.GetByTestId("door-chosen");
            await Expect(chosen).ToContainTextAsync(title);
            await Expect(chosen).ToContainTextAsync(new Regex(@"\d{4} · "));
            Assert.True(await chosen.EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth && [...e.children].every(c => c.scrollWidth <= c.clientWidth)"),
                "the chosen date is not cut off");
            await j.StepAsync("door");

            await page.GetByTestId("door-input").FillAsync(number.ToLowerInvariant());
            await page.GetByTestId("door-input").PressAsync("Enter");
            await Expect(page.GetByTestId("door-result")).ToHaveAttributeAsync("data-result", "Admitted");
            await j.StepAsync("door-number-admitted", checkPage: false);
            await Expect(page.GetByTestId("door-result")).ToHaveCountAsync(0, new() { Timeout = 15_000 }); // it clears itself

            await Steps.SwitchLanguageAsync(j, "fr");
            await Expect(page.GetByTestId("door-chosen")).ToContainTextAsync(title);
            await j.StepAsync("door-fr");
            await page.GetByTestId("door-input").FillAsync(number);
            await page.GetByTestId("door-input").PressAsync("Enter");
            await Expect(page.GetByTestId("door-result")).ToHaveAttributeAsync("data-result", "AlreadyUsed");
        });

    /// <summary>a fan in French: roles translated with French typography -> a national phone number is accepted and kept as E.164.</summary>
    [Theory]
    [InlineData("phone")]
    [InlineData("desktop")]
    public Task A_French_fan_types_a_national_phone_number_and_sees_translated_roles(string viewport) =>
        Journey.RunAsync(fixture, output, "account-fr", viewport, async j =>
        {
            var page = j.Page;
            var fan = await j.App.RegisterCustomerAsync();
            await j.GotoAsync("/account/login");
            await Steps.SignInAsync(j, fan, PublishedApp.Password);
            await j.GotoAsync("/account");
            await Expect(page.GetByTestId("account-roles")).ToHaveTextAsync("Roles: Customer");
            await Expect(page.GetByTestId("footer-api-docs")).ToHaveCountAsync(0); // fans get no API documentation link
            await Steps.SwitchLanguageAsync(j, "fr");
            await Expect(page.GetByTestId("account-roles")).ToHaveTextAsync("Rôles\u202F: Client");
            var phone = page.Locator("[data-testid=account-phone] input, input[data-testid=account-phone]").First;
            await phone.FillAsync("06 12 34 56 78");
            await phone.PressAsync("Tab");
            await page.GetByTestId("account-save").ClickAsync();
            await Expect(phone).ToHaveValueAsync("+33612345678");
            await j.StepAsync("account-fr");
            await j.GotoAsync("/account");
            await Expect(page.Locator("[data-testid=account-phone] input, input[data-testid=account-phone]").First).ToHaveValueAsync("+33612345678");
        });

    /// <summary>The fan holds and pays one "Cat 1" seat of the event's first date through the API; returns the printed ticket number.</summary>
    internal static async Task<string> BuyThroughApiAsync(PublishedApp app, string fan, Guid eventId)
    {
        using var http = await app.ClientForAsync(fan, PublishedApp.Password);
        var ev = await http.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}", Json);
        var performance = ev.GetProperty("performances").EnumerateArray().OrderBy(p => p.GetProperty("startsAt").GetDateTimeOffset()).First();
        var categoryId = performance.GetProperty("categories").EnumerateArray().First(c => c.GetProperty("name").GetString() == "Cat 1").GetProperty("id").GetGuid();
        var order = await http.PostAsJsonAsync("/api/orders", new { performanceId = performance.GetProperty("id").GetGuid(), items = new[] { new { categoryId, quantity = 1 } } });
        Assert.True(order.IsSuccessStatusCode, $"POST /api/orders: {(int)order.StatusCode} {await order.Content.ReadAsStringAsync()}");
        var orderId = (await order.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("id").GetGuid();
        var paid = await http.PostAsJsonAsync($"/api/orders/{orderId}/payment",
            new { cardNumber = "4242424242424242", expiryMonth = 12, expiryYear = DateTime.UtcNow.Year + 3, cvc = "123", cardholderName = "API Fan" });
        Assert.True(paid.IsSuccessStatusCode, $"payment: {(int)paid.StatusCode} {await paid.Content.ReadAsStringAsync()}");
        return (await paid.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("tickets").EnumerateArray().First().GetProperty("number").GetString()!;
    }

    /// <summary>An organizer's published event with two dates in Lyon, categories "Carré Or" and "Cat 1", through the API.</summary>
    internal static async Task<(Guid Id, string Organizer)> CreatePublishedEventAsync(PublishedApp app, string title)
    {
        var organizer = await app.CreateUserAsync("Organizer");
        using var http = await app.ClientForAsync(organizer, PublishedApp.Password);
        object Performance(int days) => new
        {
            startsAt = DateTimeOffset.UtcNow.Date.AddDays(days).AddHours(18),
            venue = new { name = "Halle Tony Garnier", city = "Lyon", address = "20 place Docteurs Charles et Christophe Mérieux" },
            categories = new[] { new { name = "Carré Or", price = 60.0m, capacity = 20 }, new { name = "Cat 1", price = 35.0m, capacity = 100 } },
        };
        var response = await http.PostAsJsonAsync("/api/events", new
        {
            title, description = "A night to test the box office.", category = "Concert", artist = "The E2E Band",
            performances = new[] { Performance(30), Performance(31) },
        });
        Assert.True(response.IsSuccessStatusCode, $"POST /api/events: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("id").GetGuid();
        var published = await http.PostAsync($"/api/events/{id}/publish", null);
        Assert.True(published.IsSuccessStatusCode, $"publish: {(int)published.StatusCode}");
        return (id, organizer);
    }
}
