using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Ticketing.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static Ticketing.Tests.EndToEnd.E2eHttp;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// Issue 22: a fan picks seats on the SVG map (phone in French, desktop in English): the map draws the plan, a seat taken
/// by another buyer turns grey without reloading, two taps choose two seats listed with their price, a seat lost just
/// before booking is named in the 409 seat_taken message, and the remaining seat is booked.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class SeatMapJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("fr", "phone")]
    [InlineData("en", "desktop")]
    public Task Fan_PicksSeatsOnTheMap_SeesSeatsTakenByOthers_AndBooks(string lang, string viewport) =>
        Journey.RunAsync(fixture, output, $"seat-map-{lang}", viewport, async j =>
        {
            var page = j.Page;
            var fr = lang == "fr";
            var (eventId, performanceId, seatIds) = await PlantAsync(j.App);
            var email = await j.App.RegisterCustomerAsync(displayName: "Seat Fan");
            using var rival = await j.App.ClientForAsync(await j.App.RegisterCustomerAsync(displayName: "Rival"), PublishedApp.Password);
            using var rival2 = await j.App.ClientForAsync(await j.App.RegisterCustomerAsync(displayName: "Rival Two"), PublishedApp.Password);

            await j.GotoAsync("/account/login");
            await j.WaitForBlazorAsync();
            await Steps.SignInAsync(j, email, PublishedApp.Password);
            await j.GotoAsync($"/events/{eventId}?date={performanceId}");
            if (fr) await Steps.SwitchLanguageAsync(j, "fr");
            await j.WaitForBlazorAsync();
            var map = page.GetByTestId("seat-map");
            await Expect(map).ToHaveAttributeAsync("data-seatmap-ready", "true");
            await Expect(map).ToContainTextAsync(fr ? "Plan de salle" : "Seat map");
            var seats = page.GetByTestId("seat-map-svg").Locator("[data-i]");
            await Expect(seats).ToHaveCountAsync(seatIds.Count);
            await j.StepAsync("seat-map");

            // Another buyer takes seat 0: it turns into a grey dot within seconds, without reloading.
            (await rival.PostAsJsonAsync("/api/orders", new { performanceId, seats = new[] { seatIds[0] } })).EnsureSuccessStatusCode();
            await Expect(page.GetByTestId("seat-map-svg").Locator(".tk-seat-taken")).ToHaveCountAsync(1, new() { Timeout = 15_000 });

            // Two taps choose two seats of the front row.
            await page.GetByTestId("seat-map-svg").Locator("[data-i='5']").ClickAsync(new() { Force = true });
            await Expect(page.GetByTestId("selected-seats").Locator("li")).ToHaveCountAsync(1);
            await page.GetByTestId("seat-map-svg").Locator("[data-i='6']").ClickAsync(new() { Force = true });
            await Expect(page.GetByTestId("selected-seats").Locator("li")).ToHaveCountAsync(2);
            await Expect(page.GetByTestId("selected-seats")).ToContainTextAsync(fr ? "Rang A" : "Row A");
            await j.StepAsync("seats-chosen");

            // One of them is taken just before the fan books: the message names it, the other stays chosen.
            (await rival2.PostAsJsonAsync("/api/orders", new { performanceId, seats = new[] { seatIds[6] } })).EnsureSuccessStatusCode();
            await page.GetByTestId("book-button").ClickAsync();
            var alert = page.GetByTestId("booking-panel").Locator(".tk-alert-error");
            await Expect(alert).ToContainTextAsync(fr ? "prises par quelqu’un d’autre" : "taken by someone else");
            await Expect(page.GetByTestId("selected-seats").Locator("li")).ToHaveCountAsync(1);
            await j.StepAsync("seat-taken");

            // A wheelchair space comes with its companion seat; removing the space removes both, choosing it again adds both.
            var wheelchair = page.GetByTestId("seat-map-svg").Locator("rect[data-i]").First;
            await wheelchair.ClickAsync(new() { Force = true });
            await Expect(page.GetByTestId("selected-seats").Locator("li")).ToHaveCountAsync(3);
            await Expect(page.GetByTestId("companion-added")).ToContainTextAsync(fr ? "Place accompagnateur ajoutée" : "Companion seat added");
            await j.StepAsync("companion");
            await wheelchair.ClickAsync(new() { Force = true });
            await Expect(page.GetByTestId("selected-seats").Locator("li")).ToHaveCountAsync(1);
            await wheelchair.ClickAsync(new() { Force = true });
            await Expect(page.GetByTestId("selected-seats").Locator("li")).ToHaveCountAsync(3);

            await page.GetByTestId("book-button").ClickAsync();
            await page.WaitForUrlCommittedAsync("**/checkout/**");
            await j.WaitForBlazorAsync();
            await j.StepAsync("checkout");
        });

    [Fact]
    public Task Fan_OnA5000SeatHall_TheMapIsAFewPaths_ATapChoosesASeat_AndSeatsTakenByOthersUpdate() =>
        Journey.RunAsync(fixture, output, "seat-map-bulk", "desktop", async j =>
        {
            // Above 4,000 seats the map draws one path per look instead of one node a seat (the stadium case).
            var page = j.Page;
            var (eventId, performanceId, seatIds) = await PlantAsync(j.App, new object[]
            {
                new { section = "Tribune", rows = 50, seatsPerRow = 100, category = "Orchestre" },
            });
            Assert.Equal(5000, seatIds.Count);
            var email = await j.App.RegisterCustomerAsync(displayName: "Stand Fan");
            using var rival = await j.App.ClientForAsync(await j.App.RegisterCustomerAsync(displayName: "Rival"), PublishedApp.Password);
            await j.GotoAsync("/account/login");
            await j.WaitForBlazorAsync();
            await Steps.SignInAsync(j, email, PublishedApp.Password);
            await j.GotoAsync($"/events/{eventId}?date={performanceId}");
            await j.WaitForBlazorAsync();
            var map = page.GetByTestId("seat-map");
            await Expect(map).ToHaveAttributeAsync("data-seatmap-ready", "true");
            await Expect(map).ToHaveAttributeAsync("data-seatmap-seats", "5000");
            var svg = page.GetByTestId("seat-map-svg");
            Assert.Equal(0, await svg.Locator("[data-i]").CountAsync());
            Assert.InRange(await svg.Locator("path.tk-seat-bulk").CountAsync(), 1, 10);
            await j.StepAsync("bulk-map");

            // Another buyer takes the first seat: a grey (taken) path appears within seconds, without reloading.
            (await rival.PostAsJsonAsync("/api/orders", new { performanceId, seats = new[] { seatIds[0] } })).EnsureSuccessStatusCode();
            await Expect(svg.Locator("path.tk-seat-taken")).ToHaveCountAsync(1, new() { Timeout = 15_000 });

            // Zoomed in, a tap in the middle of the stand chooses the nearest seat; it is drawn on its own, selected.
            for (var i = 0; i < 4; i++) await page.Locator("[data-seatmap-zoom='in']").ClickAsync();
            await svg.ClickAsync();
            await Expect(page.GetByTestId("selected-seats").Locator("li")).ToHaveCountAsync(1);
            await Expect(svg.Locator(".tk-seat-selected[data-i]")).ToHaveCountAsync(1);
            await j.StepAsync("bulk-seat-chosen");
        });

    private static async Task<(Guid EventId, Guid PerformanceId, List<Guid> SeatIds)> PlantAsync(PublishedApp app, object[]? blocks = null)
    {
        var organizerEmail = await app.CreateUserAsync("Organizer", displayName: "Seat Organizer");
        using var organizer = await app.ClientForAsync(organizerEmail, TicketingApp.Password);
        var plan = await Ok(await organizer.PostAsJsonAsync("/api/seating-plans/generate", new
        {
            name = "Salle <b>Molière</b>",
            blocks = blocks ?? new object[]
            {
                new { section = "Parterre", rows = 8, seatsPerRow = 16, category = "Orchestre", numbering = "OddEven", shape = "Curved", radius = 220.0 },
                new { section = "Balcon", rows = 3, seatsPerRow = 14, category = "Balcon", numbering = "OddEven", y = 120.0 },
            },
        }), "generate the plan");
        // The parterre's last row starts with a wheelchair space and its companion seat.
        var edited = System.Text.Json.Nodes.JsonNode.Parse(plan.GetRawText())!;
        var lastRow = edited["sections"]![0]!["rows"]!.AsArray()[^1]!["seats"]!.AsArray();
        if (blocks is null)
        {
            lastRow[0]!["accessible"] = true;
            lastRow[1]!["companion"] = true;
        }
        var planId = (await Ok(await organizer.PostAsync("/api/seating-plans", JsonContent.Create(edited)), "create the plan")).GetProperty("id").GetGuid();
        var created = await Ok(await organizer.PostAsJsonAsync("/api/events", new
        {
            title = $"Seated night {Guid.NewGuid().ToString("N")[..6]}",
            description = "A seated evening.",
            category = "Theatre",
            performances = new[]
            {
                new
                {
                    startsAt = DateTimeOffset.UtcNow.Date.AddDays(30).AddHours(19),
                    venue = new { name = "Théâtre", city = "Lyon", address = "1 rue" },
                    categories = blocks is null
                        ? new[] { new { name = "Orchestre", price = 42.0m, capacity = 1 }, new { name = "Balcon", price = 24.0m, capacity = 1 } }
                        : new[] { new { name = "Orchestre", price = 42.0m, capacity = 1 } },
                    seatingPlanId = planId,
                },
            },
        }), "create the event");
        var eventId = created.GetProperty("id").GetGuid();
        await Ok(await organizer.PostAsync($"/api/events/{eventId}/publish", null), "publish");
        var performanceId = created.GetProperty("performances")[0].GetProperty("id").GetGuid();
        var seats = await Ok(await app.CreateClient().GetAsync($"/api/performances/{performanceId}/seats"), "seats");
        return (eventId, performanceId, seats.GetProperty("seats").EnumerateArray().Select(s => s.GetProperty("id").GetGuid()).ToList());
    }

}
