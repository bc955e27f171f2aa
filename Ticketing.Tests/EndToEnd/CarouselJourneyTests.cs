using System.Net.Http.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// Issue 18 item 11 in the browser: the home carousel moves on its own and has controls (previous, next, pause/play; the
/// current show's dot marked), and the rows under it show each event once.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class CarouselJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public Task TheHomeCarousel_MovesAndHasControls_AndTheRowsShowEachEventOnce(string viewport) =>
        Journey.RunAsync(fixture, output, "carousel", viewport, async j =>
        {
            var page = j.Page;
            await FeaturedEventsAsync(j.App, 2);
            await j.GotoAsync("/");
            await j.WaitForBlazorAsync();

            var dots = page.Locator("[data-tk-carousel-dot]");
            var pause = page.GetByTestId("carousel-pause");
            await Expect(page.GetByTestId("carousel-next")).ToBeVisibleAsync();
            // Paused first, so that the slideshow does not move while the buttons are tried.
            await pause.ClickAsync();
            await Expect(pause).ToHaveAttributeAsync("aria-label", "Play the slideshow");
            var first = await CurrentAsync(dots);
            await page.GetByTestId("carousel-next").ClickAsync();
            await Expect(dots.Nth((first + 1) % await dots.CountAsync())).ToHaveAttributeAsync("aria-current", "true");
            await page.GetByTestId("carousel-prev").ClickAsync();
            await Expect(dots.Nth(first)).ToHaveAttributeAsync("aria-current", "true");
            await page.WaitForFunctionAsync($"() => {{ const t = document.querySelector('.tk-carousel-track'); return Math.abs(t.scrollLeft - {first} * t.clientWidth) < 2; }}");
            await j.StepAsync("carousel-controls");

            // Each event once in the rows.
            var links = await page.Locator(".tk-row [data-testid=event-card] a.tk-card-link")
                .EvaluateAllAsync<string[]>("cards => cards.map(a => a.getAttribute('href'))");
            Assert.NotEmpty(links);
            Assert.Equal(links.Length, links.Distinct().Count());

            // Playing again, with the pointer and the focus elsewhere, it moves on its own (every 7 s).
            await pause.ClickAsync();
            await Expect(pause).ToHaveAttributeAsync("aria-label", "Pause the slideshow");
            await page.Locator("form.tk-search input[name=q]").FocusAsync();
            await page.Mouse.MoveAsync(5, j.IsPhone ? 830 : 760);
            var before = await CurrentAsync(dots);
            await page.WaitForFunctionAsync(
                $"() => [...document.querySelectorAll('[data-tk-carousel-dot]')].findIndex(d => d.getAttribute('aria-current') === 'true') !== {before}",
                null, new() { Timeout = 15_000 });
        });

    private static async Task<int> CurrentAsync(ILocator dots)
    {
        var count = await dots.CountAsync();
        for (var i = 0; i < count; i++)
            if (await dots.Nth(i).GetAttributeAsync("aria-current") == "true") return i;
        return -1;
    }

    /// <summary>Events made headline shows by the Admin (only an Admin may feature an event).</summary>
    private static async Task FeaturedEventsAsync(PublishedApp app, int count)
    {
        using var admin = await app.ClientForAsync(PublishedApp.AdminEmail, PublishedApp.AdminPassword);
        for (var i = 0; i < count; i++)
        {
            var response = await admin.PostAsJsonAsync("/api/events", new
            {
                title = $"Headline {i} {Guid.NewGuid().ToString("N")[..6]}", description = "A headline show.", category = "Concert", isFeatured = true,
                performances = new[]
                {
                    new
                    {
                        startsAt = DateTimeOffset.UtcNow.Date.AddDays(3 + i).AddHours(20),
                        venue = new { name = "Halle Tony Garnier", city = "Lyon", address = "20 place Docteurs Charles et Christophe Mérieux" },
                        categories = new[] { new { name = "Fosse", price = 45.0m, capacity = 100 } },
                    },
                },
            });
            Assert.True(response.IsSuccessStatusCode, $"POST /api/events: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var id = (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();
            var published = await admin.PostAsync($"/api/events/{id}/publish", null);
            Assert.True(published.IsSuccessStatusCode, $"publish: {(int)published.StatusCode}");
        }
    }
}
