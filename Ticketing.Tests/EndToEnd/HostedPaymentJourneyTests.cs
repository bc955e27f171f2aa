using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// Issue 20: the fan pays on the hosted payment page (the simulated provider's test page) with a card that asks for a 3-D
/// Secure challenge: failing it declines, approving it pays; the signed webhook makes the order Paid and the complete page
/// says so. Phone and desktop, English and French.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class HostedPaymentJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private const string ThreeDSecureCard = "4000 0027 6000 3184";

    [Theory]
    [InlineData("desktop", "en")]
    [InlineData("phone", "en")]
    [InlineData("desktop", "fr")]
    [InlineData("phone", "fr")]
    public Task A_fan_pays_on_the_hosted_page_through_a_3DS_challenge_and_the_webhook_makes_the_order_paid(string viewport, string lang) =>
        Journey.RunAsync(fixture, output, $"hosted-payment-{lang}", viewport, async j =>
        {
            var page = j.Page;
            var fan = await j.App.RegisterCustomerAsync();
            var orderId = await HoldAsync(j.App, fan, $"Hosted Night {Guid.NewGuid().ToString("N")[..6]}");
            await j.GotoAsync("/account/login");
            await Steps.SignInAsync(j, fan, PublishedApp.Password);
            await j.GotoAsync($"/checkout/{orderId}");
            if (lang == "fr") await Steps.SwitchLanguageAsync(j, "fr");
            await Expect(page.GetByTestId("hold-countdown")).ToBeVisibleAsync();
            await j.StepAsync("checkout");

            // Pay -> the provider's page (a test page, clearly marked), the amount, the test cards.
            await Steps.GoToHostedPageAsync(j);
            await Expect(page.GetByTestId("simpay-test-banner")).ToContainTextAsync(lang == "fr" ? "PAGE DE TEST" : "TEST PAGE");
            await Expect(page.GetByTestId("simpay-amount")).ToContainTextAsync(lang == "fr" ? "35,00\u00a0€" : "€35.00");
            await j.StepAsync("hosted-page");

            // The 3-D Secure card: the bank's challenge; failing it declines and nothing is charged.
            await FillCardAsync(page, ThreeDSecureCard);
            await j.SubmitFormAsync(page.GetByTestId("pay-button"));
            await Expect(page.GetByTestId("simpay-challenge")).ToBeVisibleAsync();
            await j.StepAsync("3ds-challenge");
            await j.SubmitFormAsync(page.GetByTestId("challenge-fail"));
            await Expect(page.GetByTestId("payment-error")).ToContainTextAsync(lang == "fr" ? "Votre carte a été refusée" : "Your card was declined");
            await j.StepAsync("3ds-failed");

            // Again, approved: the webhook makes the order Paid; the fan lands on the complete page with the tickets.
            await FillCardAsync(page, ThreeDSecureCard);
            await j.SubmitFormAsync(page.GetByTestId("pay-button"));
            await Expect(page.GetByTestId("simpay-challenge")).ToBeVisibleAsync();
            await page.GetByTestId("challenge-approve").ClickAsync();
            await page.WaitForUrlCommittedAsync($"**/checkout/{orderId}/complete");
            await j.WaitForBlazorAsync();
            await Expect(page.GetByTestId("order-confirmation")).ToBeVisibleAsync(new() { Timeout = 20_000 });
            await Expect(page.GetByTestId("checkout-heading")).ToHaveTextAsync(lang == "fr" ? "Merci\u202F! Votre commande est payée." : "Thank you! Your order is paid.");
            await Expect(page.GetByTestId("ticket")).ToHaveCountAsync(1);
            await j.StepAsync("complete-paid");

            // The order through the API: Paid, one ticket.
            using var http = await j.App.ClientForAsync(fan, PublishedApp.Password);
            var order = await http.GetFromJsonAsync<JsonElement>($"/api/orders/{orderId}", Json);
            Assert.Equal("Paid", order.GetProperty("status").GetString());
        });

    private static async Task FillCardAsync(IPage page, string number)
    {
        await page.GetByTestId("card-number").FillAsync(number);
        await page.GetByTestId("card-expiry").FillAsync("12/34");
        await page.GetByTestId("card-cvc").FillAsync("123");
        await page.GetByTestId("card-name").FillAsync("Lou Buyer");
    }

    /// <summary>An organizer's published event (one "Cat 1" category at 35.00 €) and the fan's hold of one seat, through the API.</summary>
    private static async Task<Guid> HoldAsync(PublishedApp app, string fan, string title)
    {
        var organizer = await app.CreateUserAsync("Organizer");
        using var http = await app.ClientForAsync(organizer, PublishedApp.Password);
        var created = await http.PostAsJsonAsync("/api/events", new
        {
            title, description = "A night to test the hosted payment page.", category = "Concert",
            performances = new[]
            {
                new
                {
                    startsAt = DateTimeOffset.UtcNow.Date.AddDays(30).AddHours(18),
                    venue = new { name = "Le Transbordeur", city = "Lyon", address = "3 boulevard de Stalingrad" },
                    categories = new[] { new { name = "Cat 1", price = 35.0m, capacity = 50 } },
                },
            },
        });
        Assert.True(created.IsSuccessStatusCode, $"POST /api/events: {(int)created.StatusCode} {await created.Content.ReadAsStringAsync()}");
        var ev = await created.Content.ReadFromJsonAsync<JsonElement>(Json);
        var id = ev.GetProperty("id").GetGuid();
        Assert.True((await http.PostAsync($"/api/events/{id}/publish", null)).IsSuccessStatusCode);
        var performance = ev.GetProperty("performances")[0];
        using var buyer = await app.ClientForAsync(fan, PublishedApp.Password);
        var hold = await buyer.PostAsJsonAsync("/api/orders", new
        {
            performanceId = performance.GetProperty("id").GetGuid(),
            items = new[] { new { categoryId = performance.GetProperty("categories")[0].GetProperty("id").GetGuid(), quantity = 1 } },
        });
        Assert.True(hold.IsSuccessStatusCode, $"POST /api/orders: {(int)hold.StatusCode} {await hold.Content.ReadAsStringAsync()}");
        return (await hold.Content.ReadFromJsonAsync<JsonElement>(Json)).GetProperty("id").GetGuid();
    }
}
