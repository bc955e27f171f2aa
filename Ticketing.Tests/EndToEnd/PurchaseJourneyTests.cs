using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// The fan's purchase and the organizer's journey of issue 9, written against the catalogue, purchase and
/// back-office UIs (issues 3, 4, 7) through the data-testids of UI_CONTRACT.md. They fail until those are merged.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class PurchaseJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>home -> search "lyon" -> event -> a date and 2 seats -> sign up -> declined card, retry -> 2 tickets with QR -> French.</summary>
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public Task Fan_FindsAnEventInLyon_SignsUpPaysAfterADeclinedCard_AndSeesBothTicketsInFrench(string viewport) =>
        Journey.RunAsync(fixture, output, "fan-purchase", viewport, async j =>
        {
            var page = j.Page;
            var title = $"Lyon Lights {Guid.NewGuid().ToString("N")[..6]}";
            await CreatePublishedEventAsync(j.App, title, "Lyon");
            var email = $"buyer-{Guid.NewGuid():N}@e2e.local";

            await j.GotoAsync("/");
            await j.StepAsync("home");

            // Search "lyon" with the header's search box.
            await page.Locator("form.tk-search input[name=q]").FillAsync("lyon");
            await page.Locator("form.tk-search input[name=q]").PressAsync("Enter");
            await page.WaitForUrlCommittedAsync("**/search?q=lyon**"); // enhanced navigation may fire no load event: WaitForBlazorAsync follows
            await j.WaitForBlazorAsync();
            var card = page.GetByTestId("event-card").Filter(new() { HasText = title });
            await Expect(card).ToBeVisibleAsync();
            await j.StepAsync("search-lyon");

            // The event page: pick the first date, 2 seats in "Cat 1", Book.
            await card.GetByRole(AriaRole.Link).First.ClickAsync();
            await page.WaitForUrlCommittedAsync("**/events/**"); // enhanced navigation may fire no load event: WaitForBlazorAsync follows
            await j.WaitForBlazorAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Img).First).ToHaveAttributeAsync("alt", new Regex(".+"));
            await j.StepAsync("event");
            await page.GetByTestId("performance").First.GetByRole(AriaRole.Link).ClickAsync(); // "See availability"
            await page.WaitForUrlCommittedAsync("**date=**"); // enhanced navigation may fire no load event: WaitForBlazorAsync follows
            await j.WaitForBlazorAsync();
            await Expect(page.GetByTestId("booking-panel")).ToBeVisibleAsync();
            await SetQuantityAsync(page, "Cat 1", 2);
            await j.StepAsync("two-seats");
            await page.GetByTestId("book-button").ClickAsync();

            // Not signed in: sign-in page -> "Create an account" -> back to the booking.
            await page.WaitForUrlCommittedAsync("**/account/login**"); // enhanced navigation may fire no load event: WaitForBlazorAsync follows
            await j.WaitForBlazorAsync();
            await j.StepAsync("sign-in-to-book");
            await page.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).ClickAsync();
            await page.WaitForUrlCommittedAsync("**/account/register**"); // enhanced navigation may fire no load event: WaitForBlazorAsync follows
            await j.WaitForBlazorAsync();
            await page.Locator("#displayName").FillAsync("Lou Buyer");
            await page.Locator("#email").FillAsync(email);
            await page.Locator("#password").FillAsync(PublishedApp.Password);
            await j.StepAsync("sign-up");
            await j.SubmitFormAsync(page.Locator("main button[type=submit]"));
            // Back on the event page at the chosen date with the two seats still chosen (issue 18 item 2): book, now signed in.
            await page.WaitForUrlCommittedAsync("**/events/**date=**");
            await j.WaitForBlazorAsync();
            await Expect(page.GetByTestId("booking-panel")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("qty-Cat 1").GetByTestId("qty-value")).ToHaveTextAsync("2");
            await j.StepAsync("selection-kept");
            await page.GetByTestId("book-button").ClickAsync();
            await page.WaitForUrlCommittedAsync("**/checkout/**"); // enhanced navigation may fire no load event: WaitForBlazorAsync follows
            await j.WaitForBlazorAsync();
            await Expect(page.GetByTestId("hold-countdown")).ToBeVisibleAsync();
            await j.StepAsync("checkout");

            // Pay: the hosted payment page (simulated provider). A declined card: the right message, and the form stays usable.
            await Steps.GoToHostedPageAsync(j);
            await FillCardWithKeyboardAsync(page, "4000 0000 0000 0002");
            await Expect(page.GetByTestId("payment-error")).ToContainTextAsync("Your card was declined. Try another card.");
            await j.StepAsync("card-declined");

            // Retry with the test card, keyboard only.
            await FillCardWithKeyboardAsync(page, "4242 4242 4242 4242");
            await Expect(page.GetByTestId("order-confirmation")).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await j.StepAsync("paid");

            // Both tickets, each with its QR code.
            await j.GotoAsync("/account/tickets");
            await Expect(page.GetByTestId("ticket")).ToHaveCountAsync(2);
            var qrs = page.GetByTestId("ticket-qr");
            await Expect(qrs).ToHaveCountAsync(2);
            for (var i = 0; i < 2; i++)
            {
                await Expect(qrs.Nth(i)).ToBeVisibleAsync();
                await Expect(qrs.Nth(i)).ToHaveAttributeAsync("alt", new Regex(".+"));
                Assert.True(await qrs.Nth(i).EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the QR image loads");
            }
            await j.StepAsync("tickets");

            // The same pages in French.
            await Steps.SwitchLanguageAsync(j, "fr");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mes billets", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByTestId("ticket")).ToHaveCountAsync(2);
            await j.StepAsync("tickets-fr");
            await j.GotoAsync("/search?q=lyon");
            await Expect(page.GetByTestId("event-card").Filter(new() { HasText = title })).ToBeVisibleAsync();
            Assert.Equal("fr", await page.EvaluateAsync<string>("() => document.documentElement.lang"));
            await j.StepAsync("search-fr");
            await page.GetByTestId("event-card").Filter(new() { HasText = title }).GetByRole(AriaRole.Link).First.ClickAsync();
            await page.WaitForUrlCommittedAsync("**/events/**"); // enhanced navigation may fire no load event: WaitForBlazorAsync follows
            await j.WaitForBlazorAsync();
            await Expect(page.GetByText(new Regex("€"))).Not.ToHaveCountAsync(0); // prices in euros, French format
            await j.StepAsync("event-fr");
        });

    /// <summary>sign in -> two-date event with two categories -> publish -> on the home page -> a fan buys -> the sale on the dashboard -> door: Admitted then AlreadyUsed.</summary>
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public Task Organizer_CreatesAndPublishesATwoDateEvent_SeesTheSale_AndAdmitsTheTicketOnce(string viewport) =>
        Journey.RunAsync(fixture, output, "organizer", viewport, async j =>
        {
            var page = j.Page;
            var organizer = await j.App.CreateUserAsync("Organizer", displayName: "Olga Organizer");
            var title = $"Gala {Guid.NewGuid().ToString("N")[..6]}";

            await j.GotoAsync("/account/login?returnUrl=%2Fdashboard");
            await Steps.SignInAsync(j, organizer, PublishedApp.Password);
            Assert.EndsWith("/dashboard", new Uri(page.Url).AbsolutePath);
            await j.StepAsync("dashboard");

            // A two-date event with two categories per date.
            await page.GetByTestId("new-event-button").ClickAsync();
            await Expect(page.GetByTestId("event-title")).ToBeVisibleAsync();
            await page.GetByTestId("event-title").FillAsync(title);
            await page.GetByTestId("event-description").FillAsync("An evening of music in the city hall.");
            await page.GetByTestId("event-artist").FillAsync("The E2E Band");
            await SelectAsync(page, page.GetByTestId("event-category"), "Concert");
            var dates = new[] { DateTime.Today.AddDays(40).AddHours(20), DateTime.Today.AddDays(41).AddHours(20) };
            for (var d = 0; d < 2; d++)
            {
                if (await page.GetByTestId("performance-form").CountAsync() <= d) await page.GetByTestId("add-performance").ClickAsync();
                var block = page.GetByTestId("performance-form").Nth(d);
                // The date picker takes typed dates in the page's culture (English: M/d/yyyy); the time defaults to 20:00.
                var date = block.GetByTestId("performance-date").Locator("input");
                await date.FillAsync(dates[d].ToString("M/d/yyyy", System.Globalization.CultureInfo.InvariantCulture));
                await date.PressAsync("Tab");
                await block.GetByTestId("venue-name").FillAsync("Salle des fêtes");
                await block.GetByTestId("venue-city").FillAsync("Lyon");
                await block.GetByTestId("venue-address").FillAsync("1 place de la Comédie");
                var categories = new[] { ("Carré Or", "60", "20"), ("Cat 1", "35", "100") };
                for (var c = 0; c < 2; c++)
                {
                    if (await block.GetByTestId("category-form").CountAsync() <= c) await block.GetByTestId("add-category").ClickAsync();
                    var row = block.GetByTestId("category-form").Nth(c);
                    await row.GetByTestId("category-name").FillAsync(categories[c].Item1);
                    await row.GetByTestId("category-price").FillAsync(categories[c].Item2);
                    await row.GetByTestId("category-capacity").FillAsync(categories[c].Item3);
                }
            }
            await j.StepAsync("event-form");
            await page.GetByTestId("save-event").ClickAsync();
            await Expect(page.GetByTestId("publish-event")).ToBeVisibleAsync();
            await j.StepAsync("draft-saved");
            await page.GetByTestId("publish-event").ClickAsync();
            await Expect(page.GetByTestId("publish-event")).ToBeHiddenAsync();
            await j.StepAsync("published");

            // On the home page.
            await j.GotoAsync("/");
            await Expect(page.GetByTestId("event-card").Filter(new() { HasText = title }).First).ToBeVisibleAsync();
            await j.StepAsync("home-with-event");

            // A fan buys 2 "Cat 1" seats of the first date (through the API: the fan's UI is the other journey).
            var (ticketCode, _) = await BuyThroughApiAsync(j.App, title, "Cat 1", 2);

            // The sale on the dashboard.
            await j.GotoAsync("/dashboard");
            var eventRow = page.GetByTestId("event-row").Filter(new() { HasText = title });
            await Expect(eventRow.GetByTestId("event-sold")).ToContainTextAsync("2");
            await j.StepAsync("dashboard-sale");

            // The door: Admitted, then AlreadyUsed for the same ticket.
            await j.GotoAsync("/door");
            await j.StepAsync("door");
            await page.GetByTestId("door-input").FillAsync(ticketCode);
            await page.GetByTestId("door-input").PressAsync("Enter");
            await Expect(page.GetByTestId("door-result")).ToHaveAttributeAsync("data-result", "Admitted");
            await j.StepAsync("door-admitted");
            await page.GetByTestId("door-input").FillAsync(ticketCode);
            await page.GetByTestId("door-submit").ClickAsync();
            await Expect(page.GetByTestId("door-result")).ToHaveAttributeAsync("data-result", "AlreadyUsed");
            await j.StepAsync("door-already-used");
        });

    /// <summary>Types the card with the keyboard only (focus, type, Tab) and presses Enter on "Pay".</summary>
    private static async Task FillCardWithKeyboardAsync(IPage page, string number)
    {
        await page.GetByTestId("card-number").FocusAsync();
        await page.Keyboard.PressAsync("ControlOrMeta+A");
        await page.Keyboard.TypeAsync(number);
        foreach (var value in new[] { "12/34", "123", "Lou Buyer" })
        {
            await page.Keyboard.PressAsync("Tab");
            await page.Keyboard.PressAsync("ControlOrMeta+A");
            await page.Keyboard.TypeAsync(value);
        }
        for (var i = 0; i < 10 && !await page.GetByTestId("pay-button").EvaluateAsync<bool>("b => b === document.activeElement"); i++)
            await page.Keyboard.PressAsync("Tab");
        Assert.True(await page.GetByTestId("pay-button").EvaluateAsync<bool>("b => b === document.activeElement"), "Pay is reachable with Tab");
        await page.Keyboard.PressAsync("Enter");
    }

    internal static async Task SetQuantityAsync(IPage page, string category, int quantity)
    {
        var qty = page.GetByTestId($"qty-{category}");
        if (await qty.EvaluateAsync<string>("e => e.tagName") == "DIV")
        {
            // The − n + picker: press + until it shows the quantity (each press is a round trip to the circuit).
            var value = qty.GetByTestId("qty-value");
            for (var i = 0; i < 20 && int.Parse((await value.TextContentAsync())!.Trim()) < quantity; i++)
            {
                var before = (await value.TextContentAsync())!.Trim();
                await qty.GetByTestId("qty-increase").ClickAsync();
                await Expect(value).Not.ToHaveTextAsync(before);
            }
            await Expect(value).ToHaveTextAsync(quantity.ToString());
            return;
        }
        if (await qty.EvaluateAsync<string>("e => e.tagName") == "SELECT") await qty.SelectOptionAsync(quantity.ToString());
        else await qty.FillAsync(quantity.ToString());
    }

    private static async Task SelectAsync(IPage page, ILocator select, string option)
    {
        if (await select.EvaluateAsync<string>("e => e.tagName") == "SELECT") { await select.SelectOptionAsync(new SelectOptionValue { Label = option }); return; }
        await select.ClickAsync(); // MudSelect
        await page.GetByRole(AriaRole.Option, new() { Name = option }).ClickAsync();
    }

    /// <summary>An organizer's published event with two dates in the city, categories "Carré Or" and "Cat 1", through the API.</summary>
    internal static async Task<Guid> CreatePublishedEventAsync(PublishedApp app, string title, string city)
    {
        var organizer = await app.CreateUserAsync("Organizer");
        using var http = await app.ClientForAsync(organizer, PublishedApp.Password);
        object Performance(int days) => new
        {
            startsAt = DateTimeOffset.UtcNow.Date.AddDays(days).AddHours(18),
            venue = new { name = "Halle Tony Garnier", city, address = "20 place Docteurs Charles et Christophe Mérieux" },
            categories = new[] { new { name = "Carré Or", price = 60.0m, capacity = 20 }, new { name = "Cat 1", price = 35.0m, capacity = 100 } },
        };
        var response = await http.PostAsJsonAsync("/api/events", new
        {
            title, description = "A night of lights and music.", category = "Concert", artist = "The E2E Band",
            performances = new[] { Performance(30), Performance(31) },
        });
        Assert.True(response.IsSuccessStatusCode, $"POST /api/events: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("id").GetGuid();
        var published = await http.PostAsync($"/api/events/{id}/publish", null);
        Assert.True(published.IsSuccessStatusCode, $"publish: {(int)published.StatusCode}");
        return id;
    }

    /// <summary>A new fan holds and pays seats of the event's first date through the API; returns the first ticket's code.</summary>
    private static async Task<(string Code, Guid TicketId)> BuyThroughApiAsync(PublishedApp app, string title, string category, int quantity)
    {
        var fan = await app.RegisterCustomerAsync();
        using var http = await app.ClientForAsync(fan, PublishedApp.Password);
        var list = await http.GetFromJsonAsync<JsonElement>($"/api/events?q={Uri.EscapeDataString(title)}", Json);
        var eventId = list.GetProperty("items").EnumerateArray().First().GetProperty("id").GetGuid();
        var ev = await http.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}", Json);
        var performance = ev.GetProperty("performances").EnumerateArray().OrderBy(p => p.GetProperty("startsAt").GetDateTimeOffset()).First();
        var categoryId = performance.GetProperty("categories").EnumerateArray().First(c => c.GetProperty("name").GetString() == category).GetProperty("id").GetGuid();
        var order = await http.PostAsJsonAsync("/api/orders", new { performanceId = performance.GetProperty("id").GetGuid(), items = new[] { new { categoryId, quantity } } });
        Assert.True(order.IsSuccessStatusCode, $"POST /api/orders: {(int)order.StatusCode} {await order.Content.ReadAsStringAsync()}");
        var orderId = (await order.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("id").GetGuid();
        var paid = await http.PostAsJsonAsync($"/api/orders/{orderId}/payment",
            new { cardNumber = "4242424242424242", expiryMonth = 12, expiryYear = DateTime.UtcNow.Year + 3, cvc = "123", cardholderName = "API Fan" });
        Assert.True(paid.IsSuccessStatusCode, $"payment: {(int)paid.StatusCode} {await paid.Content.ReadAsStringAsync()}");
        var ticketId = (await paid.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("tickets").EnumerateArray().First().GetProperty("id").GetGuid();
        var ticket = await http.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}", Json);
        return (ticket.GetProperty("code").GetString()!, ticketId);
    }
}
