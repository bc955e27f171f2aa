using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Ticketing.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static Ticketing.Tests.EndToEnd.E2eHttp;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// A queued on-sale on a phone, in English and in French: the date's booking panel sends the fan to the waiting room
/// (instead of a Book button that could only be refused), the waiting page asks to sign in and comes back, the fan waits
/// in the pre-queue (a reload keeps the same entry), is admitted at the opening, lands on the date's booking panel,
/// books and pays on the hosted page, and has the ticket.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class WaitingRoomJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("en")]
    [InlineData("fr")]
    public Task Fan_WaitsInThePreQueueOnAPhone_IsAdmittedAtTheOpening_AndBuysATicket(string lang) =>
        Journey.RunAsync(fixture, output, $"waiting-room-{lang}", "phone", async j =>
        {
            var page = j.Page;
            var fr = lang == "fr";
            var email = await j.App.RegisterCustomerAsync(displayName: "Queue Fan");
            // Opening far enough ahead for the sign-in below to happen in the pre-queue.
            var planted = await PlantAsync(j.App, opensIn: TimeSpan.FromSeconds(40));

            await j.GotoAsync($"/events/{planted.EventId}?date={planted.PerformanceId}");
            if (fr) await Steps.SwitchLanguageAsync(j, "fr");
            var notice = page.GetByTestId("booking-waiting-room");
            await Expect(notice).ToBeVisibleAsync();
            await Expect(notice).ToContainTextAsync(fr ? "file d’attente" : "waiting room");
            await Expect(page.GetByTestId("book-button")).ToHaveCountAsync(0);
            await j.StepAsync("event-queued");

            await page.GetByTestId("join-waiting-room").ClickAsync();
            await page.WaitForUrlCommittedAsync($"**/waiting-room/{planted.PerformanceId}");
            await page.GetByTestId("queue-sign-in").ClickAsync();
            await page.WaitForUrlCommittedAsync("**/account/login**");
            await j.WaitForBlazorAsync();
            await Steps.SignInAsync(j, email, PublishedApp.Password);

            // Back in the waiting room, before the opening: the place is drawn at the opening.
            await page.WaitForUrlCommittedAsync($"**/waiting-room/{planted.PerformanceId}");
            var room = page.Locator("[data-waiting-room]");
            await Expect(room).ToBeVisibleAsync();
            await Expect(page.Locator("[data-wr-before]")).ToContainTextAsync(fr ? "La vente ouvre le" : "The sale opens on");
            var entry = await room.GetAttributeAsync("data-entry");
            Assert.False(string.IsNullOrEmpty(entry));
            await j.StepAsync("pre-queue");

            // A reload (or a phone waking up) finds the same entry.
            await page.ReloadAsync();
            await Expect(room).ToHaveAttributeAsync("data-entry", entry!);

            // At the opening the page polls, shows the turn and sends the fan to the date's booking panel.
            await page.WaitForUrlCommittedAsync("**/events/**date=**", 120_000);
            await j.WaitForBlazorAsync();
            await Expect(page.GetByTestId("booking-panel")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("booking-waiting-room")).ToHaveCountAsync(0);
            var value = page.GetByTestId("qty-Fosse").GetByTestId("qty-value");
            await page.GetByTestId("qty-Fosse").GetByTestId("qty-increase").ClickAsync();
            await Expect(value).ToHaveTextAsync("1");
            await j.StepAsync("admitted-booking");

            await page.GetByTestId("book-button").ClickAsync();
            await page.WaitForUrlCommittedAsync("**/checkout/**");
            await j.WaitForBlazorAsync();
            await Steps.GoToHostedPageAsync(j);
            await page.GetByTestId("card-number").FillAsync("4242 4242 4242 4242");
            await page.GetByTestId("card-expiry").FillAsync("12/34");
            await page.GetByTestId("card-cvc").FillAsync("123");
            await page.GetByTestId("card-name").FillAsync("Queue Fan");
            await page.GetByTestId("pay-button").ClickAsync();
            await Expect(page.GetByTestId("order-confirmation")).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await j.StepAsync("paid");

            await j.GotoAsync("/account/tickets");
            await Expect(page.GetByTestId("ticket")).ToHaveCountAsync(1);
            await j.StepAsync("tickets");

            // The fan's entry is public in the verifiable order once drawn.
            using var anonymous = j.App.CreateClient();
            var fairness = await Ok(await anonymous.GetAsync($"/api/performances/{planted.PerformanceId}/queue/fairness"), "fairness");
            Assert.False(string.IsNullOrEmpty(fairness.GetProperty("seed").GetString()));
        });

    [Theory]
    [InlineData("en", "desktop")]
    [InlineData("fr", "phone")]
    public Task Organizer_SwitchesTheWaitingRoomToTheAutomaticRate(string lang, string viewport) =>
        Journey.RunAsync(fixture, output, $"waiting-room-settings-{lang}", viewport, async j =>
        {
            var page = j.Page;
            var fr = lang == "fr";
            var planted = await PlantAsync(j.App, opensIn: TimeSpan.FromMinutes(30));
            await j.GotoAsync($"/account/login?returnUrl={Uri.EscapeDataString($"/dashboard/performances/{planted.PerformanceId}/waiting-room")}");
            await j.WaitForBlazorAsync();
            if (fr) await Steps.SwitchLanguageAsync(j, "fr");
            await Steps.SignInAsync(j, planted.OrganizerEmail, TicketingApp.Password);
            await page.WaitForUrlCommittedAsync($"**/dashboard/performances/{planted.PerformanceId}/waiting-room");
            await j.WaitForBlazorAsync();
            await page.GetByTestId("waiting-room-automatic").ClickAsync();
            await Expect(page.GetByLabel(fr ? "Nombre maximal de fans admis par minute" : "Most fans admitted per minute")).ToBeVisibleAsync();
            await page.GetByTestId("waiting-room-save").ClickAsync();
            await Expect(page.GetByTestId("waiting-room-current-rate")).ToContainTextAsync(fr ? "admis par minute en ce moment" : "per minute now");
            await j.StepAsync("automatic");
            using var organizer = await j.App.ClientForAsync(planted.OrganizerEmail, TicketingApp.Password);
            var settings = await Ok(await organizer.GetAsync($"/api/performances/{planted.PerformanceId}/queue/settings"), "settings");
            Assert.True(settings.GetProperty("automatic").GetBoolean());
        });

    private sealed record Planted(Guid EventId, Guid PerformanceId, string OrganizerEmail);

    private static async Task<Planted> PlantAsync(PublishedApp app, TimeSpan opensIn)
    {
        var organizerEmail = await app.CreateUserAsync("Organizer", displayName: "Queue Organizer");
        using var organizer = await app.ClientForAsync(organizerEmail, TicketingApp.Password);
        var created = await Ok(await organizer.PostAsJsonAsync("/api/events", new
        {
            title = $"Stadium night {Guid.NewGuid().ToString("N")[..6]}",
            description = "The tour's first date.",
            category = "Concert",
            performances = new[]
            {
                new
                {
                    startsAt = DateTimeOffset.UtcNow.Date.AddDays(30).AddHours(19),
                    venue = new { name = "Stade de Lyon", city = "Lyon", address = "10 avenue Simone Veil" },
                    categories = new[] { new { name = "Fosse", price = 59.0m, capacity = 100 } },
                },
            },
        }), "create the event");
        var eventId = created.GetProperty("id").GetGuid();
        await Ok(await organizer.PostAsync($"/api/events/{eventId}/publish", null), "publish");
        var ev = await Ok(await organizer.GetAsync($"/api/events/{eventId}"), "event");
        var performanceId = ev.GetProperty("performances")[0].GetProperty("id").GetGuid();
        await Ok(await organizer.PutAsJsonAsync($"/api/performances/{performanceId}/queue/settings",
            new { enabled = true, admitPerMinute = 600, opensAt = DateTimeOffset.UtcNow + opensIn }), "switch the waiting room on");
        return new Planted(eventId, performanceId, organizerEmail);
    }

}
