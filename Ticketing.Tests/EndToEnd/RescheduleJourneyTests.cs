using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Ticketing.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static Ticketing.Tests.EndToEnd.E2eHttp;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// Issue 25 item 3, clicked through (desktop in English, phone in French): the organizer opens "Change date or venue"
/// on the sales page, sees how many holders will be told, moves the date; the holder gets the mail, finds "Ask for a
/// refund" on My orders while the window is open, and is refunded.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class RescheduleJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public Task Organizer_MovesADate_TheHolderIsTold_AndAsksForARefund(string viewport) =>
        Journey.RunAsync(fixture, output, "reschedule", viewport, async j =>
        {
            var page = j.Page;
            var fr = j.IsPhone;
            var planted = await PlantAsync(j.App);

            // The organizer: the dialog counts the holders before anything is sent.
            await j.GotoAsync($"/account/login?returnUrl={Uri.EscapeDataString($"/dashboard/events/{planted.EventId}/sales")}");
            await j.WaitForBlazorAsync();
            if (fr) await Steps.SwitchLanguageAsync(j, "fr");
            await Steps.SignInAsync(j, planted.OrganizerEmail, TicketingApp.Password);
            await page.WaitForUrlCommittedAsync($"**/dashboard/events/{planted.EventId}/sales");
            await j.WaitForBlazorAsync();
            await page.GetByTestId("reschedule-button").ClickAsync();
            var dialog = page.Locator(".mud-dialog");
            await Expect(dialog.GetByTestId("reschedule-count")).ToHaveTextAsync(fr ? "1 détenteur de billet sera prévenu." : "1 ticket holder will be notified.");
            var moved = DateTime.UtcNow.Date.AddDays(12).AddHours(19);
            await dialog.Locator("input[data-testid=reschedule-date], [data-testid=reschedule-date] input").First
                .FillAsync(moved.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
            await j.StepAsync("dialog");
            await dialog.GetByTestId("reschedule-submit").ClickAsync();
            await Expect(page.GetByText(fr ? "Date déplacée\u202F: 1 détenteur prévenu." : "Date moved: 1 holder notified.")).ToBeVisibleAsync();
            await j.StepAsync("moved");
            using (var anonymous = j.App.CreateClient())
            {
                var ev = await Ok(await anonymous.GetAsync($"/api/events/{planted.EventId}"), "event");
                Assert.Equal(new DateTimeOffset(moved, TimeSpan.Zero), ev.GetProperty("performances")[0].GetProperty("startsAt").GetDateTimeOffset());
            }
            await MailedLinks.WaitForMailAsync(j.App, planted.FanEmail, $"New date for {planted.Title}");
            await Steps.SignOutAsync(j, fr ? "Se déconnecter" : "Sign out");

            // The holder: My orders offers the refund while the window is open; one click refunds the order.
            await j.GotoAsync($"/account/login?returnUrl={Uri.EscapeDataString("/account/orders")}");
            await j.WaitForBlazorAsync();
            await Steps.SignInAsync(j, planted.FanEmail, TicketingApp.Password);
            await page.WaitForUrlCommittedAsync("**/account/orders");
            await j.WaitForBlazorAsync();
            await Expect(page.GetByTestId("refund-window")).ToBeVisibleAsync();
            await j.StepAsync("refund-offered");
            await page.GetByTestId("ask-refund").ClickAsync();
            await Expect(page.GetByTestId("refund-result")).ToHaveTextAsync(fr ? "Votre remboursement est en cours." : "Your refund is on its way.");
            await j.StepAsync("refunded");

            using var fan = await j.App.ClientForAsync(planted.FanEmail, TicketingApp.Password);
            var order = await Ok(await fan.GetAsync($"/api/orders/{planted.OrderId}"), "order");
            Assert.Equal("Refunded", order.GetProperty("status").GetString());
        });

    private sealed record Planted(Guid EventId, string Title, string OrganizerEmail, string FanEmail, Guid OrderId);

    /// <summary>Through the API: an Organizer's published event, and a fan who bought two tickets of it.</summary>
    private static async Task<Planted> PlantAsync(PublishedApp app)
    {
        var organizerEmail = await app.CreateUserAsync("Organizer", displayName: "Reschedule Organizer");
        using var organizer = await app.ClientForAsync(organizerEmail, TicketingApp.Password);
        var title = $"Moved gala {Guid.NewGuid().ToString("N")[..6]}";
        var created = await Ok(await organizer.PostAsJsonAsync("/api/events", new
        {
            title,
            description = "A date that moves.",
            category = "Concert",
            performances = new[]
            {
                new
                {
                    startsAt = DateTimeOffset.UtcNow.Date.AddDays(5).AddHours(20),
                    venue = new { name = "Salle Rameau", city = "Lyon", address = "29 rue de la Martinière" },
                    categories = new[] { new { name = "Placement libre", price = 25.0m, capacity = 50 } },
                },
            },
        }), "create the event");
        var eventId = created.GetProperty("id").GetGuid();
        await Ok(await organizer.PostAsync($"/api/events/{eventId}/publish", null), "publish");
        var ev = await Ok(await organizer.GetAsync($"/api/events/{eventId}"), "event");
        var performance = ev.GetProperty("performances")[0];
        var performanceId = performance.GetProperty("id").GetGuid();
        var categoryId = performance.GetProperty("categories")[0].GetProperty("id").GetGuid();

        var fanEmail = await app.RegisterCustomerAsync(displayName: "Moving Fan");
        using var fan = await app.ClientForAsync(fanEmail, TicketingApp.Password);
        var order = await Ok(await fan.PostAsJsonAsync("/api/orders", new { performanceId, items = new[] { new { categoryId, quantity = 2 } } }), "hold");
        var orderId = order.GetProperty("id").GetGuid();
        await Ok(await fan.PostAsJsonAsync($"/api/orders/{orderId}/payment", new
        {
            cardNumber = "4242424242424242", expiryMonth = 12, expiryYear = DateTime.UtcNow.Year + 3, cvc = "123", cardholderName = "Moving Fan",
        }), "pay");
        return new Planted(eventId, title, organizerEmail, fanEmail, orderId);
    }

}
