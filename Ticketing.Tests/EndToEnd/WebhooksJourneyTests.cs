using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Ticketing.Tests.EndToEnd;

/// <summary>Issue 25 item 6 in the browser: an organizer adds a webhook endpoint, copies the secret shown once, queues a test and sees it in the deliveries.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class WebhooksJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("desktop", "en")]
    [InlineData("phone", "fr")]
    public Task Organizer_AddsAnEndpoint_SeesTheSecretOnce_AndQueuesATest(string viewport, string lang) =>
        Journey.RunAsync(fixture, output, $"webhooks-{lang}", viewport, async j =>
        {
            var page = j.Page;
            var fr = lang == "fr";
            var organizer = await j.App.CreateUserAsync("Organizer", displayName: "Salle Webhook");
            await j.GotoAsync("/dashboard/webhooks");
            await page.WaitForUrlCommittedAsync("**/account/login**");
            await j.WaitForBlazorAsync();
            await Steps.SignInAsync(j, organizer, PublishedApp.Password);
            if (fr) await Steps.SwitchLanguageAsync(j, "fr");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Webhooks", Level = 1 })).ToBeVisibleAsync();

            // A private address is refused at the field, in the reader's language.
            await page.Locator("input[data-testid=webhook-url]").FillAsync("https://10.0.0.5/hook");
            await page.GetByTestId("webhook-create").ClickAsync();
            await Expect(page.GetByTestId("webhook-form")).ToContainTextAsync(fr ? "joignable sur Internet" : "reachable on the internet");
            await Expect(page.GetByTestId("webhook-row")).ToHaveCountAsync(0);

            await page.Locator("input[data-testid=webhook-url]").FillAsync("https://crm.example.com/hooks/ticketing");
            await page.GetByTestId("webhook-create").ClickAsync();
            await Expect(page.GetByTestId("webhook-secret")).ToContainTextAsync("whsec_");
            await Expect(page.GetByTestId("webhook-row")).ToHaveCountAsync(1);
            await j.StepAsync("webhook-created", checkPage: false);

            await page.GetByTestId("webhook-deliveries-button").ClickAsync();
            await page.GetByTestId("webhook-test").ClickAsync();
            await Expect(page.GetByTestId("webhook-delivery")).ToHaveCountAsync(1);
            await Expect(page.GetByTestId("webhook-delivery")).ToContainTextAsync("webhook.test");
            await j.StepAsync("webhook-test-queued", checkPage: false);

            // The secret is not shown again after a reload.
            await page.ReloadAsync();
            await j.WaitForBlazorAsync();
            await Expect(page.GetByTestId("webhook-row")).ToHaveCountAsync(1);
            await Expect(page.GetByTestId("webhook-secret")).ToHaveCountAsync(0);
        });
}
