using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// Browsing costs no circuit (issue 17): home, search and the event page are static server-rendered pages with
/// enhanced navigation; the one WebSocket opens when the fan chooses a date (the booking panel's island).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class BrowsingJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public Task AnonymousFan_BrowsesHomeSearchAndEventPage_WithoutAnyWebSocket_ThenChoosingADateStartsTheBookingPanel(string viewport) =>
        Journey.RunAsync(fixture, output, "browsing", viewport, async j =>
        {
            var page = j.Page;
            var title = $"Static Nights {Guid.NewGuid().ToString("N")[..6]}";
            await PurchaseJourneyTests.CreatePublishedEventAsync(j.App, title, "Lyon");
            var sockets = new List<string>();
            page.WebSocket += (_, ws) => { lock (sockets) sockets.Add(ws.Url); };

            await j.GotoAsync("/");
            await Expect(page.Locator("[data-blazor-render]")).ToHaveAttributeAsync("data-blazor-render", "static");
            await j.StepAsync("home");

            // The header's menus open without a circuit.
            if (j.IsPhone)
            {
                await page.Locator("details.tk-burger > summary").ClickAsync();
                await Expect(page.Locator("nav.tk-drawer").GetByRole(AriaRole.Link).Nth(3)).ToBeVisibleAsync();
                await page.Keyboard.PressAsync("Escape");
                await Expect(page.Locator("nav.tk-drawer")).ToBeHiddenAsync();
            }

            await page.Locator("form.tk-search input[name=q]").FillAsync(title);
            await page.Locator("form.tk-search input[name=q]").PressAsync("Enter");
            await page.WaitForUrlCommittedAsync("**/search?q=**");
            await j.WaitForBlazorAsync();
            var card = page.GetByTestId("event-card").Filter(new() { HasText = title });
            await Expect(card).ToBeVisibleAsync();
            await j.StepAsync("search");

            await card.GetByRole(AriaRole.Link).First.ClickAsync();
            await page.WaitForUrlCommittedAsync("**/events/**");
            await j.WaitForBlazorAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByTestId("performance").First).ToBeVisibleAsync();
            await j.StepAsync("event");
            await page.WaitForTimeoutAsync(500); // a circuit would have started by now (blazor.web.js starts it on load)
            lock (sockets) Assert.True(sockets.Count == 0, "browsing opened WebSockets: " + string.Join(", ", sockets));

            // Choosing a date starts the booking panel (the one interactive island): its + works.
            await page.GetByTestId("performance").First.GetByRole(AriaRole.Link).ClickAsync();
            await page.WaitForUrlCommittedAsync("**date=**");
            await Expect(page.GetByTestId("booking-panel")).ToBeVisibleAsync();
            await page.GetByTestId("qty-Cat 1").GetByTestId("qty-increase").ClickAsync();
            await Expect(page.GetByTestId("qty-Cat 1").GetByTestId("qty-value")).ToHaveTextAsync("1");
            lock (sockets) Assert.Single(sockets);
            await j.StepAsync("booking");
        });
}
