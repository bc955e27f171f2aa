using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Ticketing.Tests.Infrastructure;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static Ticketing.Tests.EndToEnd.E2eHttp;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// A fan who cannot go passes the ticket on (desktop in English, phone in French): "Transfer" on My tickets, the
/// recipient's address in the dialog, the ticket shown as transferred (its code void); the recipient receives the mail
/// with the PDF and, signed in with that confirmed address, sees the ticket as received with a code that scans.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed partial class TransferJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public Task Fan_TransfersATicketByEmail_AndTheRecipientSeesItWithANewCode(string viewport) =>
        Journey.RunAsync(fixture, output, "transfer", viewport, async j =>
        {
            var page = j.Page;
            var fr = j.IsPhone;
            var planted = await PlantAsync(j.App);

            await j.GotoAsync("/account/login?returnUrl=%2Faccount%2Ftickets");
            await Steps.SignInAsync(j, planted.HolderEmail, PublishedApp.Password);
            if (fr) await Steps.SwitchLanguageAsync(j, "fr");
            await Expect(page.GetByTestId("ticket")).ToHaveCountAsync(1);
            await page.GetByTestId("ticket-transfer").ClickAsync();
            var dialog = page.GetByRole(AriaRole.Dialog);
            await Expect(dialog).ToBeVisibleAsync();
            await Expect(dialog).ToContainTextAsync(planted.Number);
            await dialog.Locator("input[data-testid=transfer-email], [data-testid=transfer-email] input").First.FillAsync(planted.RecipientEmail);
            await j.StepAsync("transfer-dialog");
            await dialog.GetByTestId("transfer-send").ClickAsync();
            await Expect(page.GetByTestId("ticket-transferred")).ToBeVisibleAsync();
            await Expect(page.GetByTestId("ticket-transfer")).ToHaveCountAsync(0);
            await j.StepAsync("transferred");

            // The old code is void at the door at once.
            using var organizer = await j.App.ClientForAsync(planted.OrganizerEmail, TicketingApp.Password);
            var scan = await Ok(await organizer.PostAsJsonAsync("/api/checkin", new { code = planted.Code }), "scan the old code");
            Assert.Equal("Voided", scan.GetProperty("result").GetString());

            // The recipient's mail carries the PDF; signed in, the ticket is theirs, received, with a new code that scans.
            var mail = await MailedLinks.WaitForMailAsync(j.App, planted.RecipientEmail, "A ticket has been sent to you");
            Assert.Contains(mail.Attachments, a => a.ContentType.MimeType == "application/pdf");
            await Steps.SignOutAsync(j, fr ? "Se déconnecter" : "Sign out");
            await j.GotoAsync("/account/login?returnUrl=%2Faccount%2Ftickets");
            await Steps.SignInAsync(j, planted.RecipientEmail, PublishedApp.Password);
            await Expect(page.GetByTestId("ticket")).ToHaveCountAsync(1);
            await Expect(page.GetByTestId("ticket-received")).ToHaveTextAsync(fr ? "Reçu" : "Received");
            await j.StepAsync("received");

            using var recipient = await j.App.ClientForAsync(planted.RecipientEmail, PublishedApp.Password);
            var tickets = await Ok(await recipient.GetAsync("/api/tickets"), "the recipient's tickets");
            var ticketId = tickets.GetProperty("items")[0].GetProperty("id").GetGuid();
            var ticket = await Ok(await recipient.GetAsync($"/api/tickets/{ticketId}"), "the received ticket");
            Assert.NotEqual(planted.Code, ticket.GetProperty("code").GetString());
            var admitted = await Ok(await organizer.PostAsJsonAsync("/api/checkin", new { code = ticket.GetProperty("code").GetString() }), "scan the new code");
            Assert.Equal("Admitted", admitted.GetProperty("result").GetString());
        });

    private sealed record Planted(string OrganizerEmail, string HolderEmail, string RecipientEmail, string Code, string Number);

    private static async Task<Planted> PlantAsync(PublishedApp app)
    {
        var organizerEmail = await app.CreateUserAsync("Organizer", displayName: "Transfer Organizer");
        using var organizer = await app.ClientForAsync(organizerEmail, TicketingApp.Password);
        var created = await Ok(await organizer.PostAsJsonAsync("/api/events", new
        {
            title = $"Gala night {Guid.NewGuid().ToString("N")[..6]}",
            description = "The school gala.",
            category = "Concert",
            performances = new[]
            {
                new
                {
                    startsAt = DateTimeOffset.UtcNow.Date.AddDays(10).AddHours(19),
                    venue = new { name = "Salle des fêtes", city = "Nantes", address = "2 rue de la Paix" },
                    categories = new[] { new { name = "Placement libre", price = 12.0m, capacity = 50 } },
                },
            },
        }), "create the event");
        var eventId = created.GetProperty("id").GetGuid();
        await Ok(await organizer.PostAsync($"/api/events/{eventId}/publish", null), "publish");
        var ev = await Ok(await organizer.GetAsync($"/api/events/{eventId}"), "event");
        var performance = ev.GetProperty("performances")[0];
        var performanceId = performance.GetProperty("id").GetGuid();
        var categoryId = performance.GetProperty("categories")[0].GetProperty("id").GetGuid();

        var holderEmail = await app.RegisterCustomerAsync(displayName: "Giving Fan");
        using var holder = await app.ClientForAsync(holderEmail, PublishedApp.Password);
        var order = await Ok(await holder.PostAsJsonAsync("/api/orders", new { performanceId, items = new[] { new { categoryId, quantity = 1 } } }), "hold");
        var paid = await Ok(await holder.PostAsJsonAsync($"/api/orders/{order.GetProperty("id").GetGuid()}/payment", new
        {
            cardNumber = "4242424242424242", expiryMonth = 12, expiryYear = DateTime.UtcNow.Year + 3, cvc = "123", cardholderName = "Giving Fan",
        }), "pay");
        var ticket = await Ok(await holder.GetAsync($"/api/tickets/{paid.GetProperty("tickets")[0].GetProperty("id").GetGuid()}"), "ticket");

        // The recipient has an account whose address is confirmed (received tickets show for a confirmed address only).
        var recipientEmail = await app.RegisterCustomerAsync(displayName: "Lucky Friend");
        var confirm = await MailedLinks.WaitForLinkAsync(app, recipientEmail, ConfirmLink());
        using var anonymous = app.CreateClient();
        (await anonymous.GetAsync(confirm)).EnsureSuccessStatusCode();
        return new Planted(organizerEmail, holderEmail, recipientEmail, ticket.GetProperty("code").GetString()!, ticket.GetProperty("number").GetString()!);
    }


    [GeneratedRegex(@"\S*/account/confirm-email\?\S+")]
    private static partial Regex ConfirmLink();
}
