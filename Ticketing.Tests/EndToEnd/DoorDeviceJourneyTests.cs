using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Ticketing.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static Ticketing.Tests.EndToEnd.E2eHttp;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// Door devices: the organizer creates and revokes a device on the dashboard (desktop in English, phone in French); a
/// phone scans with the network cut (DevTools offline), reloads the scanner from its service worker, then syncs: one
/// admission recorded for the device, and the ticket the organizer admitted meanwhile reported as a conflict.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class DoorDeviceJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public Task Organizer_CreatesADoorDevice_SeesItsLinkAndQr_ThenRevokesIt(string viewport) =>
        Journey.RunAsync(fixture, output, "door-devices", viewport, async j =>
        {
            var page = j.Page;
            var planted = await PlantAsync(j.App, tickets: 1);
            var fr = j.IsPhone;

            await j.GotoAsync($"/dashboard/events/{planted.EventId}/sales");
            await page.WaitForUrlCommittedAsync("**/account/login**");
            await j.WaitForBlazorAsync();
            await Steps.SignInAsync(j, planted.OrganizerEmail, TicketingApp.Password);
            if (fr) await Steps.SwitchLanguageAsync(j, "fr");
            await page.Locator("[data-testid=door-devices-link]").ClickAsync();
            await page.WaitForUrlCommittedAsync($"**/dashboard/events/{planted.EventId}/door-devices");
            await j.WaitForBlazorAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = fr ? "Appareils de contrôle" : "Door devices", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.GetByText(fr ? "Aucun appareil de contrôle pour l'instant." : "No door devices yet.")).ToBeVisibleAsync();
            await j.StepAsync("empty");

            await page.Locator("#door-device-name").FillAsync("Gate <A> & phone");
            await page.Locator("#door-device-gate").FillAsync("North");
            await page.Locator("[data-testid=door-device-create]").ClickAsync();
            var created = page.Locator("[data-testid=door-device-created]");
            await Expect(created).ToBeVisibleAsync();
            await Expect(created).ToContainTextAsync(fr ? "Il n'est affiché qu'une fois." : "It is shown only once.");
            var url = await page.Locator("#door-device-url").InputValueAsync();
            Assert.Matches(@"/door/device#token=tkd_[A-Za-z0-9_\-]{43}$", url);
            await Expect(page.Locator("[data-testid=door-device-qr]")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-testid=door-device-name]")).ToHaveTextAsync("Gate <A> & phone");
            await Expect(page.Locator("[data-testid=door-device-status]")).ToHaveTextAsync(fr ? "Actif" : "Active");
            await j.StepAsync("created");

            // The link works until the device is revoked.
            using var device = j.App.CreateClient();
            device.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Device", url[(url.IndexOf("token=", StringComparison.Ordinal) + 6)..]);
            Assert.True((await device.GetAsync("/api/door/device/bundle")).IsSuccessStatusCode);

            await page.Locator("[data-testid=door-device-revoke]").ClickAsync();
            await Expect(page.GetByText(fr ? "L'appareil a été révoqué\u202F: son lien ne fonctionne plus." : "The device was revoked: its link no longer works.")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-testid=door-device-status]")).ToHaveTextAsync(fr ? "Révoqué" : "Revoked");
            await Expect(page.GetByText(fr ? "Révoqué le" : "Revoked on")).ToBeVisibleAsync();
            await Expect(page.Locator("[data-testid=door-device-revoke]")).ToHaveCountAsync(0);
            await j.StepAsync("revoked");
            Assert.Equal(401, (int)(await device.GetAsync("/api/door/device/bundle")).StatusCode);

            // The reports page follows the door live: a scan elsewhere shows up without reloading.
            await j.GotoAsync($"/dashboard/events/{planted.EventId}/reports");
            await j.WaitForBlazorAsync();
            await Expect(page.GetByTestId("checkin-live")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("checkin-total").First).ToHaveTextAsync(fr ? "0 entré sur 1" : "0 admitted of 1");
            using var organizer = await j.App.ClientForAsync(planted.OrganizerEmail, TicketingApp.Password);
            Assert.Equal("Admitted", (await Ok(await organizer.PostAsJsonAsync("/api/checkin", new { code = planted.Codes[0] }), "checkin"))
                .GetProperty("result").GetString());
            await Expect(page.GetByTestId("checkin-total").First).ToHaveTextAsync(fr ? "1 entré sur 1" : "1 admitted of 1", new() { Timeout = 25_000 });
            await j.StepAsync("reports-live");
        });

    [Fact]
    public Task DoorPhone_ScansWithTheNetworkCut_ReloadsFromItsServiceWorker_AndSyncsWhenBackOnline() =>
        Journey.RunAsync(fixture, output, "door-scanner", "phone", async j =>
        {
            var page = j.Page;
            var planted = await PlantAsync(j.App, tickets: 3);
            using var organizer = await j.App.ClientForAsync(planted.OrganizerEmail, TicketingApp.Password);
            var device = await Ok(await organizer.PostAsJsonAsync($"/api/events/{planted.EventId}/door-devices", new { name = "Front door" }), "device");
            var link = device.GetProperty("url").GetString()!;
            var deviceId = device.GetProperty("id").GetGuid();

            // Online: the scanner keeps its token, downloads the list and installs its service worker.
            await page.GotoAsync(link);
            await page.WaitForFunctionAsync("() => document.body.dataset.ready === 'true'");
            Assert.DoesNotContain("token", page.Url);
            await page.EvaluateAsync("() => navigator.serviceWorker.ready");
            await page.WaitForFunctionAsync("() => !!navigator.serviceWorker.controller");
            await Expect(page.Locator("#tkd-freshness")).ToContainTextAsync("Ticket list from");
            await Expect(page.Locator("#tkd-network")).ToHaveTextAsync("Online");
            await j.StepAsync("online");

            // The network is cut (DevTools offline, for the page and its service worker).
            var cdp = await j.Context.NewCDPSessionAsync(page);
            await cdp.SendAsync("Network.enable");
            await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
            {
                ["offline"] = true, ["latency"] = 0, ["downloadThroughput"] = -1, ["uploadThroughput"] = -1,
            });
            await j.Context.SetOfflineAsync(true);
            await Expect(page.Locator("#tkd-network")).ToContainTextAsync("Offline");
            Assert.False(await page.EvaluateAsync<bool>("() => fetch('/api/door/device/bundle').then(() => true, () => false)"));

            await ScanAsync(page, planted.Codes[0]);
            await Expect(page.Locator("#tkd-result")).ToHaveAttributeAsync("data-result", "admitted");
            await Expect(page.Locator("#tkd-result")).ToContainTextAsync(planted.Numbers[0]);
            await ScanAsync(page, planted.Codes[0]);
            await Expect(page.Locator("#tkd-result")).ToHaveAttributeAsync("data-result", "used");
            var altered = planted.Codes[2][..20] + (planted.Codes[2][20] == 'A' ? 'B' : 'A') + planted.Codes[2][21..];
            await ScanAsync(page, altered);
            await Expect(page.Locator("#tkd-result")).ToHaveAttributeAsync("data-result", "invalid");
            await ScanAsync(page, planted.Numbers[1].ToLowerInvariant());    // the printed number, typed
            await Expect(page.Locator("#tkd-result")).ToHaveAttributeAsync("data-result", "admitted");
            await Expect(page.Locator("#tkd-pending")).ToHaveAttributeAsync("data-count", "2");
            await j.StepAsync("offline-scans");

            // Still offline, the scanner reloads from its service worker with its scans kept.
            await page.ReloadAsync();
            await page.WaitForFunctionAsync("() => document.body.dataset.ready === 'true'");
            await Expect(page.Locator("#tkd-pending")).ToHaveAttributeAsync("data-count", "2");
            await Expect(page.Locator("#tkd-freshness")).ToContainTextAsync("Ticket list from");
            await ScanAsync(page, planted.Codes[0]);
            await Expect(page.Locator("#tkd-result")).ToHaveAttributeAsync("data-result", "used");
            await j.StepAsync("offline-reloaded");

            // Meanwhile the organizer admits the second ticket at another door.
            Assert.Equal("Admitted", (await Ok(await organizer.PostAsJsonAsync("/api/checkin", new { code = planted.Codes[1] }), "checkin"))
                .GetProperty("result").GetString());

            // Back online: the scans are sent; the first is admitted for this device, the second is a reported conflict.
            await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
            {
                ["offline"] = false, ["latency"] = 0, ["downloadThroughput"] = -1, ["uploadThroughput"] = -1,
            });
            await j.Context.SetOfflineAsync(false);
            await Expect(page.Locator("#tkd-network")).ToHaveTextAsync("Online");
            await Expect(page.Locator("#tkd-pending")).ToHaveAttributeAsync("data-count", "0", new() { Timeout = 40_000 });
            await Expect(page.Locator("#tkd-conflicts")).ToContainTextAsync("1 conflict");
            await j.StepAsync("synced");

            var devices = await Ok(await organizer.GetAsync($"/api/events/{planted.EventId}/door-devices"), "devices");
            var row = devices.EnumerateArray().Single(d => d.GetProperty("id").GetGuid() == deviceId);
            Assert.Equal((1, 1), (row.GetProperty("admitted").GetInt32(), row.GetProperty("conflicts").GetInt32()));
        });

    private static async Task ScanAsync(IPage page, string code)
    {
        await page.Locator("#tkd-code").FillAsync(code);
        await page.Locator("#tkd-check").ClickAsync();
    }

    private sealed record Planted(Guid EventId, string OrganizerEmail, List<string> Codes, List<string> Numbers);

    /// <summary>Through the API: an Organizer with a published event, and a fan who bought <paramref name="tickets"/> tickets.</summary>
    private static async Task<Planted> PlantAsync(PublishedApp app, int tickets)
    {
        var organizerEmail = await app.CreateUserAsync("Organizer", displayName: "Door Organizer");
        using var organizer = await app.ClientForAsync(organizerEmail, TicketingApp.Password);
        var created = await Ok(await organizer.PostAsJsonAsync("/api/events", new
        {
            title = $"Door night {Guid.NewGuid().ToString("N")[..6]}",
            description = "Doors at seven.",
            category = "Concert",
            performances = new[]
            {
                new
                {
                    startsAt = DateTimeOffset.UtcNow.Date.AddDays(3).AddHours(18),
                    venue = new { name = "La Salle", city = "Lyon", address = "1 place Bellecour" },
                    categories = new[] { new { name = "Fosse", price = 25.0m, capacity = 20 } },
                },
            },
        }), "create the event");
        var eventId = created.GetProperty("id").GetGuid();
        await Ok(await organizer.PostAsync($"/api/events/{eventId}/publish", null), "publish");
        var ev = await Ok(await organizer.GetAsync($"/api/events/{eventId}"), "event");
        var performance = ev.GetProperty("performances")[0];
        var performanceId = performance.GetProperty("id").GetGuid();
        var categoryId = performance.GetProperty("categories")[0].GetProperty("id").GetGuid();

        var fanEmail = await app.RegisterCustomerAsync();
        using var fan = await app.ClientForAsync(fanEmail, TicketingApp.Password);
        var order = await Ok(await fan.PostAsJsonAsync("/api/orders", new { performanceId, items = new[] { new { categoryId, quantity = tickets } } }), "hold");
        var paid = await Ok(await fan.PostAsJsonAsync($"/api/orders/{order.GetProperty("id").GetGuid()}/payment", new
        {
            cardNumber = "4242424242424242", expiryMonth = 12, expiryYear = DateTime.UtcNow.Year + 3, cvc = "123", cardholderName = "Door Fan",
        }), "pay");
        var codes = new List<string>();
        var numbers = new List<string>();
        foreach (var t in paid.GetProperty("tickets").EnumerateArray())
        {
            var ticket = await Ok(await fan.GetAsync($"/api/tickets/{t.GetProperty("id").GetGuid()}"), "ticket");
            codes.Add(ticket.GetProperty("code").GetString()!);
            numbers.Add(ticket.GetProperty("number").GetString()!);
        }
        return new Planted(eventId, organizerEmail, codes, numbers);
    }

}
