using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Ticketing.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static Ticketing.Tests.EndToEnd.E2eHttp;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// Issue 25 item 2 in the browser: an organizer issues complimentary tickets to a named guest from the quota, then cancels
/// them after a confirmation; the quota comes back and the list marks them cancelled (desktop in English, phone in French).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class CompsJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("desktop", "en")]
    [InlineData("phone", "fr")]
    public Task Organizer_IssuesComps_ThenCancelsThem_AndTheQuotaComesBack(string viewport, string lang) =>
        Journey.RunAsync(fixture, output, $"comps-{lang}", viewport, async j =>
        {
            var page = j.Page;
            var fr = lang == "fr";
            var (eventId, organizerEmail) = await PlantAsync(j.App);

            await j.GotoAsync($"/account/login?returnUrl={Uri.EscapeDataString($"/dashboard/events/{eventId}/comps")}");
            await j.WaitForBlazorAsync();
            if (fr) await Steps.SwitchLanguageAsync(j, "fr");
            await Steps.SignInAsync(j, organizerEmail, TicketingApp.Password);
            await page.WaitForUrlCommittedAsync($"**/dashboard/events/{eventId}/comps");
            await j.WaitForBlazorAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = fr ? "Invitations" : "Complimentary tickets", Level = 1 })).ToBeVisibleAsync();
            var quotaRow = page.GetByTestId("comp-quota-row");
            await Expect(quotaRow).ToContainTextAsync("4");

            // Two tickets for a named guest (a name with markup: shown as text).
            await page.Locator("input[data-testid=comp-name]").FillAsync("Claire <b>Presse</b>");
            await page.Locator("input[data-testid=comp-email]").FillAsync($"press-{Guid.NewGuid():N}@example.com");
            await page.Locator("input[data-testid=comp-quantity]").FillAsync("2");
            await page.GetByTestId("comp-issue").ClickAsync();
            await Expect(page.GetByTestId("comp-row")).ToHaveCountAsync(1);
            await Expect(page.GetByTestId("comp-row")).ToContainTextAsync("Claire <b>Presse</b>");
            await Expect(page.GetByTestId("comp-list").Locator("b")).ToHaveCountAsync(0);
            await Expect(quotaRow.Locator("td").Nth(4)).ToHaveTextAsync("2");
            await j.StepAsync("comp-issued");

            // Cancel asks first; going back changes nothing.
            await page.GetByTestId("comp-cancel").ClickAsync();
            var dialog = page.Locator(".mud-dialog");
            await Expect(dialog).ToContainTextAsync(fr ? "Annuler ces invitations\u202F?" : "Cancel these complimentary tickets?");
            await Expect(dialog).ToContainTextAsync("Claire <b>Presse</b>");
            await j.StepAsync("comp-cancel-asked", checkPage: false);
            await dialog.GetByRole(AriaRole.Button, new() { Name = fr ? "Retour" : "Back" }).ClickAsync();
            await Expect(page.GetByTestId("comp-cancelled")).ToHaveCountAsync(0);

            await page.GetByTestId("comp-cancel").ClickAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = fr ? "Annuler" : "Cancel" }).ClickAsync();
            await Expect(page.GetByTestId("comp-cancelled")).ToHaveTextAsync(fr ? "Annulées" : "Cancelled");
            await Expect(page.GetByTestId("comp-cancel")).ToHaveCountAsync(0);
            await Expect(quotaRow.Locator("td").Nth(4)).ToHaveTextAsync("4");
            await j.StepAsync("comp-cancelled");
        });

    private static async Task<(Guid EventId, string OrganizerEmail)> PlantAsync(PublishedApp app)
    {
        var organizerEmail = await app.CreateUserAsync("Organizer", displayName: "Comps Organizer");
        using var organizer = await app.ClientForAsync(organizerEmail, TicketingApp.Password);
        var created = await Ok(await organizer.PostAsJsonAsync("/api/events", new
        {
            title = $"Press night {Guid.NewGuid().ToString("N")[..6]}",
            description = "A première with guests.",
            category = "Theatre",
            performances = new[]
            {
                new
                {
                    startsAt = DateTimeOffset.UtcNow.Date.AddDays(9).AddHours(20),
                    venue = new { name = "Théâtre des Célestins", city = "Lyon", address = "4 rue Charles Dullin" },
                    categories = new[] { new { name = "Orchestre", price = 42.0m, capacity = 30 } },
                },
            },
        }), "create the event");
        var eventId = created.GetProperty("id").GetGuid();
        await Ok(await organizer.PostAsync($"/api/events/{eventId}/publish", null), "publish");
        var performance = (await Ok(await organizer.GetAsync($"/api/events/{eventId}"), "event")).GetProperty("performances")[0];
        await Ok(await organizer.PutAsJsonAsync($"/api/events/{eventId}/comp-quotas", new
        {
            performanceId = performance.GetProperty("id").GetGuid(),
            categoryId = performance.GetProperty("categories")[0].GetProperty("id").GetGuid(),
            quota = 4,
        }), "quota");
        return (eventId, organizerEmail);
    }

}
