using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.Tests.EndToEnd;

/// <summary>Issue 18: in-page links stay on their page, keyboard focus follows the fan, refunded tickets and cancelled events say so.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class TunnelJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>skip link and "Choose a date" stay on the event page -> focus ring -> a date moves focus to the booking panel -> pay -> focus on "Thank you" with the order number -> French.</summary>
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public Task A_fan_with_a_keyboard_stays_on_the_event_page_and_focus_follows_each_step_to_the_thank_you(string viewport) =>
        Journey.RunAsync(fixture, output, "tunnel-focus", viewport, async j =>
        {
            var page = j.Page;
            var title = $"Focus Night {Guid.NewGuid().ToString("N")[..6]}";
            var (eventId, _) = await CreatePublishedEventAsync(j.App, title);
            var fan = await j.App.RegisterCustomerAsync();
            await j.GotoAsync("/account/login");
            await Steps.SignInAsync(j, fan, PublishedApp.Password);

            var eventPath = $"/events/{eventId}";
            await j.GotoAsync(eventPath);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();

            // "Skip to content" (the page focuses its h1 on navigation, so the link is reached from there) keeps the visitor on the event page.
            await page.Locator(".tk-skip-link").FocusAsync();
            await Expect(page.Locator(".tk-skip-link")).ToBeInViewportAsync();
            await j.StepAsync("skip-link-focused", checkPage: false);
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
            Assert.StartsWith(eventPath, new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
            Assert.EndsWith("#main", page.Url, StringComparison.Ordinal);

            // "Choose a date" scrolls to the dates of this event, not to the home page.
            await page.GetByRole(AriaRole.Link, new() { Name = "Choose a date" }).ClickAsync();
            await page.WaitForURLAsync(url => url.EndsWith("#dates", StringComparison.Ordinal));
            Assert.StartsWith(eventPath, new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
            await Expect(page.Locator("#dates-title")).ToBeInViewportAsync();
            await j.StepAsync("choose-a-date");

            // Every button shows a focus ring when reached with the keyboard ("See availability" is a .tk-btn).
            var ringed = false;
            for (var i = 0; i < 60 && !ringed; i++)
            {
                await page.Keyboard.PressAsync("Tab");
                ringed = await page.EvaluateAsync<bool>("() => document.activeElement.matches('[data-testid=performance] .tk-btn')");
            }
            Assert.True(ringed, "Tab reaches See availability");
            var outline = await page.EvaluateAsync<string>("() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle + ' ' + s.outlineWidth; }");
            Assert.DoesNotContain("none", outline, StringComparison.Ordinal);
            Assert.DoesNotMatch(@"\s0px$", outline);
            await j.StepAsync("focus-ring", checkPage: false);

            // Choosing a date moves focus to the booking panel.
            await page.Keyboard.PressAsync("Enter");
            await page.WaitForURLAsync("**date=**");
            await Expect(page.GetByTestId("booking-panel")).ToBeVisibleAsync();
            await page.WaitForFunctionAsync("() => !!document.activeElement?.closest('[data-testid=booking-section]')");
            await Expect(page.GetByTestId("booking-section")).ToBeInViewportAsync();
            await j.StepAsync("date-chosen");

            await page.GetByTestId("qty-Cat 1").GetByTestId("qty-increase").ClickAsync();
            await Expect(page.GetByTestId("qty-Cat 1").GetByTestId("qty-value")).ToHaveTextAsync("1");
            await page.GetByTestId("book-button").ClickAsync();
            await page.WaitForUrlCommittedAsync("**/checkout/**");
            await j.WaitForBlazorAsync();
            await Expect(page.GetByTestId("hold-countdown")).ToBeVisibleAsync();

            await Steps.GoToHostedPageAsync(j);
            await page.GetByTestId("card-number").FillAsync("4242 4242 4242 4242");
            await page.Keyboard.PressAsync("Tab");
            await page.Keyboard.TypeAsync("12/34");
            await page.Keyboard.PressAsync("Tab");
            await page.Keyboard.TypeAsync("123");
            await page.Keyboard.PressAsync("Tab");
            await page.Keyboard.TypeAsync("Lou Buyer");
            await page.GetByTestId("pay-button").FocusAsync();
            await page.Keyboard.PressAsync("Enter");

            // "Thank you" with the order number, focused and on screen.
            await Expect(page.GetByTestId("order-confirmation")).ToBeVisibleAsync(new() { Timeout = 20_000 });
            var heading = page.GetByTestId("checkout-heading");
            await Expect(heading).ToHaveTextAsync("Thank you! Your order is paid.");
            await page.WaitForFunctionAsync("() => document.activeElement?.dataset.testid === 'checkout-heading'");
            await Expect(heading).ToBeInViewportAsync();
            await Expect(page.GetByTestId("order-number")).ToHaveTextAsync(new Regex(@"^Order number: [0-9A-F]{4}-[0-9A-F]{4}$"));
            await j.StepAsync("thank-you");

            // The confirmation page in French, and the event page.
            await Steps.SwitchLanguageAsync(j, "fr");
            await Expect(page.GetByTestId("order-number")).ToHaveTextAsync(new Regex(@"^Numéro de commande\u202F: [0-9A-F]{4}-[0-9A-F]{4}$"));
            await j.StepAsync("thank-you-fr");
            await j.GotoAsync(eventPath);
            await page.GetByRole(AriaRole.Link, new() { Name = "Choisir une date" }).ClickAsync();
            await page.WaitForURLAsync(url => url.EndsWith("#dates", StringComparison.Ordinal));
            Assert.StartsWith(eventPath, new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
            await j.StepAsync("event-fr");
        });

    /// <summary>a fan buys, the organizer cancels the event -> no "See availability" -> the fan's ticket is void, without QR code or PDF, in English and French.</summary>
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public Task A_cancelled_event_offers_no_availability_and_its_refunded_ticket_shows_as_void(string viewport) =>
        Journey.RunAsync(fixture, output, "tunnel-refunded", viewport, async j =>
        {
            var page = j.Page;
            var title = $"Rained Off {Guid.NewGuid().ToString("N")[..6]}";
            var (eventId, organizer) = await CreatePublishedEventAsync(j.App, title);
            var fan = await j.App.RegisterCustomerAsync();
            var ticketId = await BuyThroughApiAsync(j.App, fan, eventId);

            using (var http = await j.App.ClientForAsync(organizer, PublishedApp.Password))
            {
                var cancelled = await http.PostAsync($"/api/events/{eventId}/cancel", null);
                Assert.True(cancelled.IsSuccessStatusCode, $"cancel: {(int)cancelled.StatusCode} {await cancelled.Content.ReadAsStringAsync()}");
            }

            // The cancellation refunds in a background job (batches, after the answer): wait until the fan's ticket is void.
            using (var fanHttp = await j.App.ClientForAsync(fan, PublishedApp.Password))
            {
                var deadline = DateTime.UtcNow.AddSeconds(60);
                string status;
                do
                {
                    var read = await fanHttp.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}");
                    status = read.GetProperty("status").GetString() ?? "";
                    if (status == "Voided") break;
                    await Task.Delay(250);
                } while (DateTime.UtcNow < deadline);
                Assert.Equal("Voided", status);
            }

            await j.GotoAsync($"/events/{eventId}");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByTestId("performance").First).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "See availability" })).ToHaveCountAsync(0);
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Choose a date" })).ToHaveCountAsync(0);
            await j.StepAsync("cancelled-event");

            await j.GotoAsync("/account/login");
            await Steps.SignInAsync(j, fan, PublishedApp.Password);
            await j.GotoAsync("/account/tickets");
            var ticket = page.GetByTestId("ticket");
            await Expect(ticket).ToHaveCountAsync(1);
            await Expect(ticket.GetByTestId("ticket-void")).ToContainTextAsync("Refunded");
            await Expect(ticket.GetByTestId("ticket-qr")).ToHaveCountAsync(0);
            await Expect(ticket.GetByRole(AriaRole.Link, new() { Name = "Download PDF" })).ToHaveCountAsync(0);
            await Expect(ticket.GetByText("Show this code at the door.")).ToHaveCountAsync(0);
            await j.StepAsync("void-ticket");

            // The PDF of a voided ticket is refused too.
            var pdf = await page.APIRequest.GetAsync($"/api/tickets/{ticketId}/pdf");
            Assert.NotEqual(200, pdf.Status);

            await Steps.SwitchLanguageAsync(j, "fr");
            await Expect(ticket.GetByTestId("ticket-void")).ToContainTextAsync("Remboursé");
            await j.StepAsync("void-ticket-fr");
            await j.GotoAsync($"/events/{eventId}");
            await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Voir les disponibilités" })).ToHaveCountAsync(0);
            await j.StepAsync("cancelled-event-fr");
        });

    /// <summary>An organizer's published event with two dates in Lyon, categories "Carré Or" and "Cat 1", through the API.</summary>
    private static async Task<(Guid Id, string Organizer)> CreatePublishedEventAsync(PublishedApp app, string title)
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
            title, description = "A night to test the booking tunnel.", category = "Concert", artist = "The E2E Band",
            performances = new[] { Performance(30), Performance(31) },
        });
        Assert.True(response.IsSuccessStatusCode, $"POST /api/events: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("id").GetGuid();
        var published = await http.PostAsync($"/api/events/{id}/publish", null);
        Assert.True(published.IsSuccessStatusCode, $"publish: {(int)published.StatusCode}");
        return (id, organizer);
    }

    /// <summary>The fan holds and pays one "Cat 1" seat of the event's first date through the API; returns the ticket's id.</summary>
    private static async Task<Guid> BuyThroughApiAsync(PublishedApp app, string fan, Guid eventId)
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
        return (await paid.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("tickets").EnumerateArray().First().GetProperty("id").GetGuid();
    }
}
