using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// Issue 19 item 4 in the browser: a signed-out fan buys with an email address only ("Continue as guest"), pays on the
/// guest order page, gets the tickets there and by mail, and the mail's signed link opens the order again; a link
/// with a wrong token shows "not found". Desktop in English, phone in French.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class GuestJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    [Theory]
    [InlineData("desktop", "en")]
    [InlineData("phone", "fr")]
    public Task AFanWithoutAnAccount_BuysAsAGuest_AndTheMailedLinkOpensTheOrder(string viewport, string lang) =>
        Journey.RunAsync(fixture, output, $"guest-{lang}", viewport, async j =>
        {
            var page = j.Page;
            var fr = lang == "fr";
            var (eventId, performanceId) = await PlantAsync(j.App);
            var email = $"guest-{Guid.NewGuid():N}@e2e.local";

            await j.GotoAsync($"/events/{eventId}?date={performanceId}");
            if (fr) await Steps.SwitchLanguageAsync(j, "fr");
            await Expect(page.GetByTestId("booking-panel")).ToBeVisibleAsync();
            await PurchaseJourneyTests.SetQuantityAsync(page, "Parterre", 2);
            await page.GetByTestId("guest-checkout").Locator("summary").ClickAsync();
            await page.GetByTestId("guest-email").FillAsync(email);
            await page.GetByTestId("guest-name").FillAsync("Camille Invitée");
            await j.StepAsync("guest-form");
            await page.GetByTestId("guest-book").ClickAsync();

            await page.WaitForUrlCommittedAsync("**/guest/orders/**");
            await j.WaitForBlazorAsync();
            await Expect(page.GetByTestId("guest-order")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("order-number")).ToBeVisibleAsync();
            await j.StepAsync("guest-checkout");
            await page.GetByTestId("card-number").FillAsync("4242 4242 4242 4242");
            await page.GetByTestId("card-expiry").FillAsync("12/34");
            await page.GetByTestId("card-cvc").FillAsync("123");
            await page.GetByTestId("card-name").FillAsync("Camille Invitée");
            await page.GetByTestId("pay-button").ClickAsync();
            await Expect(page.GetByTestId("order-confirmation")).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await Expect(page.GetByTestId("guest-ticket")).ToHaveCountAsync(2);
            await j.StepAsync("guest-paid");
            var orderPath = new Uri(page.Url).AbsolutePath;

            // The confirmation mail carries the signed link: it opens the same order (a phone later, no session needed).
            var link = await MailedLinks.WaitForLinkAsync(j.App, email, new Regex(@"https?://[^\s]+/guest/orders/[0-9a-f-]+/[A-Za-z0-9_-]+"));
            Assert.Equal(orderPath, new Uri(new Uri("http://x"), link).AbsolutePath);
            await j.GotoAsync(link);
            await Expect(page.GetByTestId("guest-ticket")).ToHaveCountAsync(2);

            // The same order with a guessed token: not found, nothing shown.
            var parts = orderPath.TrimEnd('/').Split('/');
            parts[^1] = "AAAA" + parts[^1][4..];
            await j.GotoAsync(string.Join('/', parts));
            await Expect(page.GetByTestId("guest-order-not-found")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("guest-ticket")).ToHaveCountAsync(0);
            await j.StepAsync("guest-wrong-link");
        });

    private static async Task<(Guid EventId, Guid PerformanceId)> PlantAsync(PublishedApp app)
    {
        var organizerEmail = await app.CreateUserAsync("Organizer", displayName: "Guest Organizer");
        using var organizer = await app.ClientForAsync(organizerEmail, PublishedApp.Password);
        var created = await organizer.PostAsJsonAsync("/api/events", new
        {
            title = $"Gala de l'école {Guid.NewGuid().ToString("N")[..6]}", description = "Guest journey.", category = "Family",
            performances = new[]
            {
                new
                {
                    startsAt = DateTimeOffset.UtcNow.Date.AddDays(20).AddHours(18),
                    venue = new { name = "Salle des fêtes", city = "Angers", address = "3 place du Ralliement" },
                    categories = new[] { new { name = "Parterre", price = 8.0m, capacity = 200 } },
                },
            },
        });
        var ev = await created.Content.ReadFromJsonAsync<JsonElement>(Json);
        var eventId = ev.GetProperty("id").GetGuid();
        (await organizer.PostAsync($"/api/events/{eventId}/publish", null)).EnsureSuccessStatusCode();
        return (eventId, ev.GetProperty("performances")[0].GetProperty("id").GetGuid());
    }
}
