using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using MimeKit;
using Ticketing.Tests.Infrastructure;
using UglyToad.PdfPig;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;
using static Ticketing.Tests.EndToEnd.E2eHttp;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// Issue 16, stored XSS: hostile markup planted through the API in every field an Organizer or a fan can type is shown
/// as text on every page that shows it, for every role (anonymous, fan, organizer, admin), in the ticket PDF and in the
/// confirmation mail, and never runs. Three independent signals fail the test: the payloads call <c>__xss(tag)</c>
/// (a function the test exposes), the page holds an element or attribute the markup would have created, or the browser
/// reports a Content-Security-Policy violation (something tried to run inline: ours or theirs).
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class HostileTextJourneyTests(EndToEndFixture fixture, ITestOutputHelper output)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Ordinary text followed by every classic way out of text: a script element, handlers, a quote break, a javascript: URL.</summary>
    private static string Hostile(string text, string tag, bool link = true) =>
        $"{text} {Script(tag)}<img src=x onerror=__xss('{tag}')><svg onload=__xss('{tag}')>\"'>"
        + (link ? $"<a href=\"javascript:__xss('{tag}')\">{tag}</a>" : "");

    /// <summary>The part of a payload that every page showing the field must display literally.</summary>
    private static string Script(string tag) => $"<script>__xss('{tag}')</script>";

    /// <summary>Elements and attributes that only a payload turned into markup would create.</summary>
    private const string ActiveMarkupScript = """
        () => [...document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload], a[href^="javascript:" i], iframe, ' +
                                            'script:not([src]):not([type="importmap"])')]
                .map(e => e.outerHTML.slice(0, 160))
        """;

    [Theory]
    [InlineData("desktop")]
    [InlineData("phone")]
    public Task HostileTextInEveryEditableField_IsShownAsText_AndRunsNowhere_ForAnyRole(string viewport) =>
        Journey.RunAsync(fixture, output, "hostile-text", viewport, async j =>
        {
            var page = j.Page;
            var hits = new ConcurrentQueue<string>();
            await j.Context.ExposeFunctionAsync("__xss", (string tag) => hits.Enqueue($"script ran: {tag} on {page.Url}"));
            await j.Context.ExposeFunctionAsync("__csp", (string report) => hits.Enqueue($"CSP violation on {page.Url}: {report}"));
            await j.Context.AddInitScriptAsync("""
                document.addEventListener('securitypolicyviolation',
                  e => window.__csp(`${e.violatedDirective} blocked=${e.blockedURI} sample=${e.sample}`));
                """);
            page.Dialog += (_, d) => { hits.Enqueue($"dialog on {page.Url}: {d.Message}"); _ = d.DismissAsync(); };
            page.Console += (_, m) =>
            {
                if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) hits.Enqueue($"console on {page.Url}: {m.Text}");
            };

            var data = await PlantAsync(j.App);

            async Task VisitAsync(string path, string step, params string[] shown)
            {
                await j.GotoAsync(path);
                await CheckAsync(step, shown);
            }

            async Task CheckAsync(string step, params string[] shown)
            {
                foreach (var tag in shown) await Expect(page.Locator("body")).ToContainTextAsync(Script(tag));
                await j.SettleAsync();
                var active = await page.EvaluateAsync<string[]>(ActiveMarkupScript);
                Assert.True(active.Length == 0, $"{step} ({page.Url}): markup created from user text: " + string.Join(" | ", active));
                Assert.True(hits.IsEmpty, $"{step}: " + string.Join(" | ", hits));
                await j.StepAsync(step, checkPage: false);
            }

            // Anyone: the catalogue, a search that reflects the hostile query itself, the event page with a date picked.
            await VisitAsync("/", "home");
            await VisitAsync($"/search?q={data.Uid}", "search", "title", "city");
            await VisitAsync($"/search?q={Uri.EscapeDataString(Hostile("lyon", "query"))}", "search-hostile-query");
            await VisitAsync($"/events/{data.EventId}?date={data.PerformanceId}", "event", "title", "artist", "desc", "venue", "city", "catA", "catB");

            // The fan: account, orders, tickets, the checkout of a held order and of the paid one.
            await SignInAsync(j, data.FanEmail);
            await VisitAsync("/account", "account");
            await VisitAsync("/account/orders", "orders", "title");
            await VisitAsync("/account/tickets", "tickets", "title", "catA", "fan");
            await VisitAsync($"/checkout/{data.HeldOrderId}", "checkout-held", "title", "catB");
            await VisitAsync($"/checkout/{data.PaidOrderId}", "checkout-paid", "title");

            // The organizer: dashboard, editor, the sales page with its charts (where the Admin was attacked), the door.
            await SignInAsync(j, data.OrganizerEmail);
            await VisitAsync("/dashboard", "dashboard", "title");
            await VisitAsync($"/dashboard/events/{data.EventId}/edit", "editor");
            await Expect(page.GetByTestId("event-title")).ToHaveValueAsync(data.Title);
            await VisitAsync($"/dashboard/events/{data.EventId}/sales", "sales-organizer", "title", "catA", "catB", "venue", "city", "fan");
            await Expect(page.GetByTestId("category-bar").Filter(new() { HasText = Script("catA") })).ToContainTextAsync("2 sold of 20");
            await j.StepAsync("sales-organizer-checked"); // axe and, on the phone, no horizontal scrolling with the long names
            await VisitAsync("/door", "door");
            await page.GetByTestId("door-input").FillAsync(data.TicketCode);
            await page.GetByTestId("door-input").PressAsync("Enter");
            await Expect(page.GetByTestId("door-result")).ToHaveAttributeAsync("data-result", "Admitted");
            await CheckAsync("door-admitted", "fan", "catA");

            // The Admin: the users grid, the messages (outbox and SMS log), the same sales page, the API documentation.
            await SignInAsync(j, PublishedApp.AdminEmail, PublishedApp.AdminPassword);
            await VisitAsync("/admin/users", "admin-users");
            await page.GetByPlaceholder("Search by email or name").FillAsync(data.FanEmail);
            await Expect(page.Locator("tbody tr", new() { HasText = data.FanEmail })).ToHaveCountAsync(1);
            await CheckAsync("admin-users-fan", "fan");
            await VisitAsync("/admin/messages", "admin-messages");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Simulated SMS" }).ClickAsync();
            await Expect(page.Locator("tbody tr").First).ToBeVisibleAsync();
            await CheckAsync("admin-sms-log");
            await VisitAsync($"/dashboard/events/{data.EventId}/sales", "sales-admin", "title", "catA", "catB", "fan");
            await page.GotoAsync("/swagger");
            // The first request builds the whole OpenAPI document (about 130 operations): seconds on a loaded 2-core box.
            await Expect(page.Locator(".swagger-ui .info .title")).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Expect(page.Locator(".opblock-tag-section").First).ToBeVisibleAsync();
            await CheckAsync("swagger");

            // The ticket PDF and the confirmation mail: the same strings as literal text.
            using var fan = await j.App.ClientForAsync(data.FanEmail, TicketingApp.Password);
            AssertPdfShowsLiterally(await fan.GetByteArrayAsync($"/api/tickets/{data.TicketId}/pdf"), data, "the ticket PDF");
            var mail = await WaitForMailAsync(j.App, data.FanEmail);
            var mailPage = await j.Context.NewPageAsync();
            mailPage.Dialog += (_, d) => { hits.Enqueue($"dialog in the mail: {d.Message}"); _ = d.DismissAsync(); };
            // about:blank has no CSP: anything the mail's HTML turned into markup would run here.
            Assert.NotNull(mail.HtmlBody);
            await mailPage.SetContentAsync(mail.HtmlBody);
            foreach (var tag in new[] { "title", "artist", "venue", "city", "catA", "fan" })
                await Expect(mailPage.Locator("body")).ToContainTextAsync(Script(tag));
            await mailPage.WaitForTimeoutAsync(300);
            Assert.Empty(await mailPage.EvaluateAsync<string[]>(ActiveMarkupScript));
            Assert.True(hits.IsEmpty, "mail: " + string.Join(" | ", hits));
            await mailPage.ScreenshotAsync(new() { Path = Path.Combine(j.ArtifactsDirectory, $"mail-{j.Viewport.Name}.png"), FullPage = true });
            await mailPage.CloseAsync();
            // The tickets' PDF; the receipt (R-….pdf) is attached too.
            var attachment = mail.Attachments.OfType<MimePart>().Single(a => a.ContentType.MimeType == "application/pdf" && !(a.FileName ?? "").StartsWith("R-"));
            using var pdf = new MemoryStream();
            await attachment.Content!.DecodeToAsync(pdf);
            AssertPdfShowsLiterally(pdf.ToArray(), data, "the mail's PDF");
        });

    private static void AssertPdfShowsLiterally(byte[] pdf, Planted data, string what)
    {
        using var document = PdfDocument.Open(pdf);
        var text = Squeeze(string.Concat(document.GetPages().Select(p => p.Text)));
        foreach (var expected in new[] { $"Gala {data.Uid} {Script("title")}", Script("catA"), Script("fan"), Script("venue") })
            Assert.True(text.Contains(Squeeze(expected), StringComparison.Ordinal), $"{what} shows {expected} literally:\n{text}");
    }

    private static string Squeeze(string s) => new(s.Where(c => !char.IsWhiteSpace(c)).ToArray());

    private static async Task SignInAsync(Journey j, string email, string? password = null)
    {
        await j.Context.ClearCookiesAsync();
        await j.GotoAsync("/account/login");
        await Steps.SignInAsync(j, email, password ?? TicketingApp.Password);
    }

    private static async Task<MimeMessage> WaitForMailAsync(PublishedApp app, string to)
    {
        var dir = Path.Combine(app.ContentRoot, "App_Data", "mail");
        for (var i = 0; i < 240; i++)
        {
            if (Directory.Exists(dir))
                foreach (var file in Directory.GetFiles(dir, "*.eml"))
                {
                    var message = await MimeMessage.LoadAsync(file);
                    if (message.To.Mailboxes.Any(m => m.Address.Equals(to, StringComparison.OrdinalIgnoreCase)) && message.Attachments.Any())
                        return message;
                }
            await Task.Delay(250);
        }
        throw new TimeoutException($"no confirmation mail for {to} in {dir}");
    }

    private sealed record Planted(string Uid, string Title, Guid EventId, Guid PerformanceId, string OrganizerEmail, string FanEmail,
        Guid PaidOrderId, Guid HeldOrderId, Guid TicketId, string TicketCode);

    /// <summary>
    /// Through the API: an Organizer (hostile name) with a published event whose every text field is hostile; a fan
    /// (hostile name) who paid two seats and holds one more; a second fan on SMS (the Admin's SMS log shows the title).
    /// </summary>
    private static async Task<Planted> PlantAsync(PublishedApp app)
    {
        var uid = Guid.NewGuid().ToString("N")[..6];
        var title = Hostile($"Gala {uid}", "title");
        var organizerEmail = $"organizer-{uid}@e2e.local";
        using (var admin = await app.ClientForAsync(PublishedApp.AdminEmail, PublishedApp.AdminPassword))
            await Ok(await admin.PostAsJsonAsync("/api/users", new
            {
                email = organizerEmail, password = TicketingApp.Password, displayName = Hostile("Olga", "org", link: false), roles = new[] { "Organizer" },
            }), "create the organizer");

        using var organizer = await app.ClientForAsync(organizerEmail, TicketingApp.Password);
        var created = await Ok(await organizer.PostAsJsonAsync("/api/events", new
        {
            title,
            description = Hostile("An evening of music.", "desc") + "\n" + Hostile("Doors at seven.", "desc2"),
            category = "Concert",
            artist = Hostile("The Band", "artist"),
            performances = new[]
            {
                new
                {
                    startsAt = DateTimeOffset.UtcNow.Date.AddDays(3).AddHours(18),
                    venue = new { name = Hostile("Salle des fêtes", "venue"), city = Hostile("Lyon", "city", link: false), address = Hostile("1 place", "addr") },
                    categories = new[]
                    {
                        new { name = Hostile("Cat A", "catA", link: false), price = 35.0m, capacity = 20 },
                        new { name = Hostile("Cat B", "catB", link: false), price = 20.0m, capacity = 30 },
                    },
                },
            },
        }), "create the event");
        var eventId = created.GetProperty("id").GetGuid();
        await Ok(await organizer.PostAsync($"/api/events/{eventId}/publish", null), "publish");
        var ev = await organizer.GetFromJsonAsync<JsonElement>($"/api/events/{eventId}", Json);
        var performance = ev.GetProperty("performances")[0];
        var performanceId = performance.GetProperty("id").GetGuid();
        var categories = performance.GetProperty("categories");
        var catA = categories.EnumerateArray().Single(c => c.GetProperty("name").GetString()!.StartsWith("Cat A", StringComparison.Ordinal)).GetProperty("id").GetGuid();
        var catB = categories.EnumerateArray().Single(c => c.GetProperty("name").GetString()!.StartsWith("Cat B", StringComparison.Ordinal)).GetProperty("id").GetGuid();

        var fanEmail = await RegisterAsync(app, $"fan-{uid}@e2e.local", Hostile("Lou", "fan", link: false), "Email", null);
        using var fan = await app.ClientForAsync(fanEmail, TicketingApp.Password);
        var (paidOrderId, ticketId) = await BuyAsync(fan, performanceId, catA, 2);
        var ticket = await fan.GetFromJsonAsync<JsonElement>($"/api/tickets/{ticketId}", Json);
        var held = await Ok(await fan.PostAsJsonAsync("/api/orders", new { performanceId, items = new[] { new { categoryId = catB, quantity = 1 } } }), "hold");

        var smsEmail = await RegisterAsync(app, $"sms-{uid}@e2e.local", Hostile("Sam", "sms", link: false), "Sms", "+33612345678");
        using (var smsFan = await app.ClientForAsync(smsEmail, TicketingApp.Password))
            await BuyAsync(smsFan, performanceId, catB, 1);

        return new Planted(uid, title, eventId, performanceId, organizerEmail, fanEmail, paidOrderId, held.GetProperty("id").GetGuid(),
            ticketId, ticket.GetProperty("code").GetString()!);
    }

    private static async Task<string> RegisterAsync(PublishedApp app, string email, string displayName, string channel, string? phoneNumber)
    {
        using var http = app.CreateClient();
        await Ok(await http.PostAsJsonAsync("/api/auth/register", new
        {
            email, password = TicketingApp.Password, displayName, phoneNumber, preferredLanguage = "en", notificationChannel = channel,
        }), "register " + email);
        return email;
    }

    private static async Task<(Guid OrderId, Guid TicketId)> BuyAsync(HttpClient http, Guid performanceId, Guid categoryId, int quantity)
    {
        var order = await Ok(await http.PostAsJsonAsync("/api/orders", new { performanceId, items = new[] { new { categoryId, quantity } } }), "hold");
        var orderId = order.GetProperty("id").GetGuid();
        var paid = await Ok(await http.PostAsJsonAsync($"/api/orders/{orderId}/payment", new
        {
            cardNumber = "4242424242424242", expiryMonth = 12, expiryYear = DateTime.UtcNow.Year + 3, cvc = "123",
            cardholderName = "Lou Buyer", // validated as card data, and shown nowhere
        }), "pay");
        return (orderId, paid.GetProperty("tickets")[0].GetProperty("id").GetGuid());
    }

}
