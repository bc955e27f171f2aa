using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using Ticketing.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Ticketing.Tests.EndToEnd;

/// <summary>
/// The deployment of compose.yaml, proven without Docker: two published instances on one PostgreSQL behind the repo's
/// nginx config. Sessions and tokens work on any instance, the scheduler runs as one cluster, and a ticket bought
/// through nginx is read back from each instance with exactly one confirmation mailed.
/// </summary>
public sealed class MultiInstanceNginxTests(MultiInstanceCluster cluster, ITestOutputHelper output)
    : IClassFixture<MultiInstanceCluster>
{
    private const string Password = Infrastructure.TicketingApp.Password;

    [Fact]
    public Task SignIn_ThroughNginx_TokenAndCookieAreAcceptedByEveryInstance() => WithLogsOnFailure(async () =>
    {
        using var nginx = Client(cluster.NginxUri);
        var email = $"fan-{Guid.NewGuid():N}@cluster.test";
        var registered = await (await nginx.PostAsJsonAsync("/api/auth/register", new { email, password = Password, displayName = "Cluster Fan" }))
            .ReadJsonAsync(HttpStatusCode.Created);
        var userId = registered.GetProperty("id").GetString();
        var token = await TokenAsync(nginx, email, Password);

        // A bearer token minted through nginx (by whichever instance) is accepted by each instance directly.
        for (var i = 0; i < 2; i++)
        {
            using var direct = Client(cluster.InstanceUri(i), token);
            var me = await (await direct.GetAsync("/api/me")).ReadJsonAsync();
            Assert.Equal(userId, me.GetProperty("id").GetString());
        }

        // The sign-in form of instance 1, posted to instance 2: the antiforgery token and the cookie it issues are
        // protected with the Data Protection keys kept in the database, so the other instance reads both.
        var cookies = new CookieContainer();
        using var first = Client(cluster.InstanceUri(0), cookies: cookies);
        using var second = Client(cluster.InstanceUri(1), cookies: cookies);
        var form = await first.GetStringAsync("/account/login");
        var antiforgery = HiddenInput(form, "__RequestVerificationToken");
        var signIn = await second.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = HiddenInput(form, "_handler"),
            ["__RequestVerificationToken"] = antiforgery,
            ["Input.Email"] = email,
            ["Input.Password"] = Password,
        }));
        Assert.True(signIn.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther,
            $"sign-in answered {(int)signIn.StatusCode}: {await signIn.Content.ReadAsStringAsync()}");
        Assert.Contains(cookies.GetAllCookies(), c => c.Name == "ticketing.auth");
        foreach (var instance in new[] { first, second })
        {
            var me = await (await instance.GetAsync("/api/me")).ReadJsonAsync();
            Assert.Equal(email, me.GetProperty("email").GetString());
        }
    });

    [Fact]
    public Task Nginx_InFront_SetsAffinityCompressesAndOwnsTheSecurityHeaders() => WithLogsOnFailure(async () =>
    {
        using var nginx = Client(cluster.NginxUri);
        var home = await nginx.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        // The circuit's instance is chosen from this cookie (hash ... consistent): set on the first visit.
        Assert.Contains(home.Headers.GetValues("Set-Cookie"), c => c.StartsWith("tk_affinity=", StringComparison.Ordinal));
        Assert.Equal(["nosniff"], home.Headers.GetValues("X-Content-Type-Options"));
        Assert.Equal(["DENY"], home.Headers.GetValues("X-Frame-Options"));
        Assert.True(home.Headers.Contains("Content-Security-Policy"), "the app's CSP passes through nginx");

        var request = new HttpRequestMessage(HttpMethod.Get, "/swagger/v1/swagger.json");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        var swagger = await nginx.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, swagger.StatusCode);
        Assert.Contains("gzip", swagger.Content.Headers.ContentEncoding);

        // Error answers carry the headers once too.
        var missing = await nginx.GetAsync("/api/does-not-exist");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(["nosniff"], missing.Headers.GetValues("X-Content-Type-Options"));
    });

    [Fact]
    public Task Scheduler_OnTwoInstances_RunsAsOneQuartzClusterInTheDatabase() => WithLogsOnFailure(async () =>
    {
        await using var db = new NpgsqlConnection(cluster.ConnectionString);
        await db.OpenAsync();
        // Both instances provisioned (or found) the Quartz tables and checked in to one cluster: a trigger is acquired
        // under the cluster's row lock, so each firing runs on one instance only.
        await using var command = new NpgsqlCommand("SELECT sched_name, instance_name FROM qrtz_scheduler_state", db);
        var rows = new List<(string Scheduler, string Instance)>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) rows.Add((reader.GetString(0), reader.GetString(1)));
        Assert.Equal(2, rows.Count);
        Assert.Single(rows.Select(r => r.Scheduler).Distinct());
        Assert.Equal(2, rows.Select(r => r.Instance).Distinct().Count());

        await using var keys = new NpgsqlCommand("SELECT count(*) FROM \"DataProtectionKeys\"", db);
        Assert.True((long)(await keys.ExecuteScalarAsync())! >= 1, "the Data Protection key ring is in the database");
    });

    /// <summary>
    /// Needs the catalogue (issue 3), the purchase flow (issue 4) and the confirmation outbox (issue 5): it speaks only
    /// the contract of /work/shared/api.md, so it passes once they are merged.
    /// </summary>
    [Fact]
    public Task BuyThroughNginx_TicketIsReadBackFromEachInstanceAndOneConfirmationIsMailed() => WithLogsOnFailure(async () =>
    {
        using var nginx = Client(cluster.NginxUri);

        // An Organizer (created by the seeded Admin) creates and publishes an event.
        using var admin = Client(cluster.NginxUri, await TokenAsync(nginx, MultiInstanceCluster.AdminEmail, MultiInstanceCluster.AdminPassword));
        var organizerEmail = $"organizer-{Guid.NewGuid():N}@cluster.test";
        (await admin.PostAsJsonAsync("/api/users", new { email = organizerEmail, password = Password, displayName = "Cluster Organizer", roles = new[] { "Organizer" } }))
            .EnsureSuccessStatusCode();
        using var organizer = Client(cluster.NginxUri, await TokenAsync(nginx, organizerEmail, Password));
        var created = await organizer.PostAsJsonAsync("/api/events", new
        {
            title = "Gala on two instances",
            description = "A school gala sold through nginx.",
            category = "Concert",
            maxTicketsPerOrder = 6,
            performances = new[]
            {
                new
                {
                    startsAt = DateTimeOffset.UtcNow.AddDays(30).ToString("yyyy-MM-ddTHH:mm:00Z"),
                    venue = new { name = "Salle des fêtes", city = "Lyon", address = "1 place Bellecour" },
                    categories = new[] { new { name = "Placement libre", price = 12.50m, currency = "EUR", capacity = 200 } },
                },
            },
        });
        var eventId = (await created.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString();
        var published = await organizer.PostAsync($"/api/events/{eventId}/publish", null);
        Assert.True(published.IsSuccessStatusCode, $"publish answered {(int)published.StatusCode}: {await published.Content.ReadAsStringAsync()}");
        var ev = await (await nginx.GetAsync($"/api/events/{eventId}")).ReadJsonAsync();
        var performance = ev.GetProperty("performances")[0];
        var performanceId = performance.GetProperty("id").GetString();
        var categoryId = performance.GetProperty("categories")[0].GetProperty("id").GetString();

        // A fan holds two seats and pays with the approved test card, all through nginx.
        var fanEmail = $"buyer-{Guid.NewGuid():N}@cluster.test";
        (await nginx.PostAsJsonAsync("/api/auth/register", new { email = fanEmail, password = Password, displayName = "Cluster Buyer" }))
            .EnsureSuccessStatusCode();
        var fanToken = await TokenAsync(nginx, fanEmail, Password);
        using var fan = Client(cluster.NginxUri, fanToken);
        var hold = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = JsonContent.Create(new { performanceId, items = new[] { new { categoryId, quantity = 2 } } }),
        };
        hold.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var order = await (await fan.SendAsync(hold)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("Reserved", order.GetProperty("status").GetString());
        var orderId = order.GetProperty("id").GetString();

        var pay = new HttpRequestMessage(HttpMethod.Post, $"/api/orders/{orderId}/payment")
        {
            Content = JsonContent.Create(new { cardNumber = "4242424242424242", expiryMonth = 12, expiryYear = 2030, cvc = "123", cardholderName = "Cluster Buyer" }),
        };
        pay.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var paid = await (await fan.SendAsync(pay)).ReadJsonAsync();
        Assert.Equal("Paid", paid.GetProperty("status").GetString());
        var ticketNumbers = paid.GetProperty("tickets").EnumerateArray().Select(t => t.GetProperty("number").GetString()).ToList();
        Assert.Equal(2, ticketNumbers.Count);

        // Whichever instance took the payment, each instance reads the same paid order from the shared database.
        for (var i = 0; i < 2; i++)
        {
            using var direct = Client(cluster.InstanceUri(i), fanToken);
            var readBack = await (await direct.GetAsync($"/api/orders/{orderId}")).ReadJsonAsync();
            Assert.Equal("Paid", readBack.GetProperty("status").GetString());
        }

        // The outbox is delivered by a clustered Quartz job: the confirmation arrives once, not once per instance.
        // (Registration also mails an address confirmation: that one is not the order's.)
        List<SmtpSink.Message> OrderMails() => cluster.Smtp.MessagesTo(fanEmail).Where(m => !m.Raw.Contains("Message-Id: <emailconfirmation.")).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (OrderMails().Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(250);
        Assert.True(OrderMails().Count > 0, "no confirmation mail within 30 s");
        // Give a second instance (or a second run of the job) the time to send a duplicate, then count.
        await Task.Delay(TimeSpan.FromSeconds(8));
        Assert.Single(OrderMails());
    });

    /// <summary>
    /// The waiting room keeps no truth in an instance (issue 23 item 4): fans who join on either instance get one entry each,
    /// the draw made at the opening is the same wherever it is read, each instance answers the same place for each fan, and a
    /// turn (admission token) granted by one instance buys on the other, while an order without one is refused on both.
    /// </summary>
    [Fact]
    public Task WaitingRoom_OnTwoInstances_OnePlacePerFan_TheSameOnEach_AndATurnFromOneBuysOnTheOther() => WithLogsOnFailure(async () =>
    {
        using var nginx = Client(cluster.NginxUri);
        var (organizerEmail, _, performanceId, categoryId) = await PublishedEventAsync(nginx, "Stadium on-sale on two instances", "Pelouse", 100);

        // Six fans with accounts (registered first: password hashing is the slow part)...
        var tokensOfFans = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            var email = $"queue-fan-{i}-{Guid.NewGuid():N}@cluster.test";
            (await nginx.PostAsJsonAsync("/api/auth/register", new { email, password = Password, displayName = $"Queue Fan {i}" })).EnsureSuccessStatusCode();
            tokensOfFans.Add(await TokenAsync(nginx, email, Password));
        }

        DateTimeOffset opensAt;
        // ...then the queue, opening in a few seconds and admitting fast (100 fans a second) once open.
        using (var organizerOnFirst = Client(cluster.InstanceUri(0), await TokenAsync(nginx, organizerEmail, Password)))
        {
            opensAt = DateTimeOffset.UtcNow.AddSeconds(6);
            (await organizerOnFirst.PutAsJsonAsync($"/api/performances/{performanceId}/queue/settings", new { enabled = true, admitPerMinute = 6000, opensAt }))
                .EnsureSuccessStatusCode();
        }

        // Each fan joins before the opening on one instance, then again on the other: the same entry.
        var fans = new List<(string Token, string EntryId)>();
        for (var i = 0; i < 6; i++)
        {
            var token = tokensOfFans[i];
            using var here = Client(cluster.InstanceUri(i % 2), token);
            using var there = Client(cluster.InstanceUri((i + 1) % 2), token);
            var first = await (await here.PostAsync($"/api/performances/{performanceId}/queue", null)).ReadJsonAsync(HttpStatusCode.Created);
            Assert.True(first.GetProperty("preQueue").GetBoolean());
            var second = await (await there.PostAsync($"/api/performances/{performanceId}/queue", null)).ReadJsonAsync(HttpStatusCode.OK);
            Assert.Equal(first.GetProperty("entryId").GetString(), second.GetProperty("entryId").GetString());
            fans.Add((token, first.GetProperty("entryId").GetString()!));
        }
        Assert.True(DateTimeOffset.UtcNow < opensAt, "the fans joined after the opening: the box was too slow for this test's 6 s");

        // After the opening both instances read the same revealed seed and the same order.
        while (DateTimeOffset.UtcNow < opensAt.AddSeconds(1)) await Task.Delay(200);
        var fairness = new List<JsonElement>();
        var orders = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var anyone = Client(cluster.InstanceUri(i));
            fairness.Add(await (await anyone.GetAsync($"/api/performances/{performanceId}/queue/fairness")).ReadJsonAsync());
            var order = await (await anyone.GetAsync($"/api/performances/{performanceId}/queue/fairness/order?pageSize=50")).ReadJsonAsync();
            orders.Add(string.Join(",", order.GetProperty("items").EnumerateArray().Select(e => $"{e.GetProperty("position").GetInt32()}:{e.GetProperty("entryId").GetString()}")));
        }
        Assert.NotEqual(JsonValueKind.Null, fairness[0].GetProperty("seed").ValueKind);
        Assert.Equal(fairness[0].GetProperty("seed").GetString(), fairness[1].GetProperty("seed").GetString());
        Assert.Equal(fairness[0].GetProperty("commitment").GetString(), fairness[1].GetProperty("commitment").GetString());
        Assert.Equal(orders[0], orders[1]);

        // Each instance gives each fan the same place; the places are 1..6; every fan is admitted with a token.
        var tokens = new List<string>();
        var places = new List<int>();
        foreach (var (token, entryId) in fans)
        {
            var seen = new List<JsonElement>();
            for (var i = 0; i < 2; i++)
            {
                using var fan = Client(cluster.InstanceUri(i), token);
                JsonElement status;
                var deadline = DateTime.UtcNow.AddSeconds(20);
                do
                {
                    status = await (await fan.GetAsync($"/api/queue/{entryId}")).ReadJsonAsync();
                    if (status.GetProperty("status").GetString() == "Admitted") break;
                    await Task.Delay(250);
                }
                while (DateTime.UtcNow < deadline);
                Assert.Equal("Admitted", status.GetProperty("status").GetString());
                seen.Add(status);
            }
            Assert.Equal(seen[0].GetProperty("position").GetInt32(), seen[1].GetProperty("position").GetInt32());
            Assert.Contains($"{seen[0].GetProperty("position").GetInt32()}:{entryId}", orders[0]);
            places.Add(seen[0].GetProperty("position").GetInt32());
            tokens.Add(seen[0].GetProperty("admissionToken").GetString()!);
        }
        Assert.Equal(Enumerable.Range(1, 6), places.Order());

        // A turn read on instance 1 buys on instance 2; no token: refused on both.
        using var buyerOnSecond = Client(cluster.InstanceUri(1), fans[0].Token);
        var hold = new HttpRequestMessage(HttpMethod.Post, "/api/orders")
        {
            Content = JsonContent.Create(new { performanceId, items = new[] { new { categoryId, quantity = 1 } } }),
        };
        hold.Headers.Add("Admission-Token", tokens[0]);
        Assert.Equal("Reserved", (await (await buyerOnSecond.SendAsync(hold)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("status").GetString());
        for (var i = 0; i < 2; i++)
        {
            using var fan = Client(cluster.InstanceUri(i), fans[1].Token);
            var refused = await fan.PostAsJsonAsync("/api/orders", new { performanceId, items = new[] { new { categoryId, quantity = 1 } } });
            await refused.AssertProblemAsync(HttpStatusCode.Forbidden, "admission_required");
        }
    });

    /// <summary>
    /// Issue 17's deployment check in a real browser: a fan browses (static pages), signs in, books (the booking island's
    /// circuit over a WebSocket through nginx, kept on one instance by the affinity cookie), pays on the hosted page and
    /// lands on "Thank you", all through nginx in front of the two instances.
    /// </summary>
    [Fact]
    public Task AFanInChromium_BrowsesBooksAndPays_ThroughNginxInFrontOfTwoInstances() => WithLogsOnFailure(async () =>
    {
        using var nginx = Client(cluster.NginxUri);
        var title = $"Chromium behind nginx {Guid.NewGuid().ToString("N")[..6]}";
        var (_, eventId, performanceId, _) = await PublishedEventAsync(nginx, title, "Fosse", 50);
        var fanEmail = $"browser-fan-{Guid.NewGuid():N}@cluster.test";
        (await nginx.PostAsJsonAsync("/api/auth/register", new { email = fanEmail, password = Password, displayName = "Browser Fan" })).EnsureSuccessStatusCode();

        using var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new Microsoft.Playwright.BrowserTypeLaunchOptions
        {
            ExecutablePath = EndToEndFixture.ChromiumPath, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
        });
        var context = await browser.NewContextAsync(new Microsoft.Playwright.BrowserNewContextOptions { BaseURL = cluster.NginxUri.ToString(), Locale = "en-US" });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        var sockets = new List<string>();
        page.WebSocket += (_, ws) => { lock (sockets) sockets.Add(ws.Url); };
        page.Response += (_, r) => { if (r.Request.Method != "GET" || r.Status >= 300) output.WriteLine($"[browser] {r.Request.Method} {r.Url} -> {r.Status}"); };
        page.Console += (_, m) => { if (m.Type is "error" or "warning") output.WriteLine($"[console] {m.Type}: {m.Text}"); };
        try
        {
            // Browsing: static pages, no WebSocket.
            await page.GotoAsync("/");
            await Microsoft.Playwright.Assertions.Expect(page.Locator("[data-blazor-render]")).ToHaveAttributeAsync("data-blazor-render", "static");
            await page.GotoAsync($"/events/{eventId}");
            await Microsoft.Playwright.Assertions.Expect(page.GetByRole(Microsoft.Playwright.AriaRole.Heading, new() { Name = title, Level = 1 })).ToBeVisibleAsync();
            lock (sockets) Assert.Empty(sockets);

            // Sign in, back to the date's booking panel: the island's circuit through nginx.
            await page.GotoAsync($"/account/login?returnUrl={Uri.EscapeDataString($"/events/{eventId}?date={performanceId}#booking")}");
            await page.Locator("#email").FillAsync(fanEmail);
            await page.Locator("#password").FillAsync(Password);
            await page.Locator("main button[type=submit]").ClickAsync();
            await page.WaitForUrlCommittedAsync(url => url.Contains($"/events/{eventId}", StringComparison.Ordinal) && !url.Contains("/account/login", StringComparison.Ordinal), 30_000);
            await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("booking-panel")).ToBeVisibleAsync();
            await PurchaseJourneyTests.SetQuantityAsync(page, "Fosse", 2);
            await page.GetByTestId("book-button").ClickAsync();
            await page.WaitForUrlCommittedAsync("**/checkout/**", 30_000);
            await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("hold-countdown")).ToBeVisibleAsync();
            await page.WaitForFunctionAsync("() => document.querySelector('[data-blazor-render]')?.dataset.blazorRender === 'interactive'");
            lock (sockets) Assert.Contains(sockets, s => s.Contains("/_blazor", StringComparison.Ordinal));

            // The hosted payment page and back: paid, with the order number.
            await page.GetByTestId("checkout-pay").ClickAsync();
            await page.WaitForUrlCommittedAsync("**/pay/simulated/**", 40_000);
            await page.GetByTestId("card-number").FillAsync("4242 4242 4242 4242");
            await page.Keyboard.PressAsync("Tab");
            await page.Keyboard.TypeAsync("12/34");
            await page.Keyboard.PressAsync("Tab");
            await page.Keyboard.TypeAsync("123");
            await page.Keyboard.PressAsync("Tab");
            await page.Keyboard.TypeAsync("Browser Fan");
            await page.GetByTestId("pay-button").ClickAsync();
            await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("order-confirmation")).ToBeVisibleAsync(new() { Timeout = 40_000 });
            await Microsoft.Playwright.Assertions.Expect(page.GetByTestId("order-number")).ToHaveTextAsync(new Regex(@"^Order number: [0-9A-F]{4}-[0-9A-F]{4}$"));
        }
        catch
        {
            output.WriteLine($"[browser] failed at {page.Url}");
            try { await page.ScreenshotAsync(new() { Path = Path.Combine(EndToEndFixture.ArtifactsRoot, "nginx-journey-failure.png"), FullPage = true }); }
            catch (Microsoft.Playwright.PlaywrightException) { }
            throw;
        }
        finally
        {
            await context.CloseAsync();
        }
    });

    /// <summary>A new Organizer (made by the seeded Admin) publishes an event with one date and one category, through nginx.</summary>
    private static async Task<(string OrganizerEmail, string EventId, string PerformanceId, string CategoryId)> PublishedEventAsync(
        HttpClient nginx, string title, string categoryName, int capacity)
    {
        using var admin = Client(nginx.BaseAddress!, await TokenAsync(nginx, MultiInstanceCluster.AdminEmail, MultiInstanceCluster.AdminPassword));
        var organizerEmail = $"organizer-{Guid.NewGuid():N}@cluster.test";
        (await admin.PostAsJsonAsync("/api/users", new { email = organizerEmail, password = Password, displayName = "Cluster Organizer", roles = new[] { "Organizer" } }))
            .EnsureSuccessStatusCode();
        using var organizer = Client(nginx.BaseAddress!, await TokenAsync(nginx, organizerEmail, Password));
        var created = await organizer.PostAsJsonAsync("/api/events", new
        {
            title, description = "An event of the cluster tests.", category = "Concert",
            performances = new[]
            {
                new
                {
                    startsAt = DateTimeOffset.UtcNow.AddDays(20).ToString("yyyy-MM-ddTHH:mm:00Z"),
                    venue = new { name = "Le Transbordeur", city = "Villeurbanne", address = "3 boulevard de Stalingrad" },
                    categories = new[] { new { name = categoryName, price = 28m, currency = "EUR", capacity } },
                },
            },
        });
        var eventId = (await created.ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetString()!;
        (await organizer.PostAsync($"/api/events/{eventId}/publish", null)).EnsureSuccessStatusCode();
        var performance = (await (await nginx.GetAsync($"/api/events/{eventId}")).ReadJsonAsync()).GetProperty("performances")[0];
        return (organizerEmail, eventId, performance.GetProperty("id").GetString()!, performance.GetProperty("categories")[0].GetProperty("id").GetString()!);
    }

    private static HttpClient Client(Uri baseAddress, string? bearer = null, CookieContainer? cookies = null)
    {
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = cookies is not null,
            CookieContainer = cookies ?? new CookieContainer(),
        };
        var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (bearer is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return client;
    }

    private static async Task<string> TokenAsync(HttpClient client, string email, string password)
    {
        var token = await (await client.PostAsJsonAsync("/api/auth/token", new { email, password })).ReadJsonAsync();
        return token.GetProperty("accessToken").GetString()!;
    }

    private static string HiddenInput(string html, string name)
    {
        var input = Regex.Match(html, $"<input[^>]*name=\"{Regex.Escape(name)}\"[^>]*>");
        Assert.True(input.Success, $"no hidden input {name} in the page");
        var value = Regex.Match(input.Value, "value=\"([^\"]*)\"");
        Assert.True(value.Success, $"hidden input {name} has no value");
        return WebUtility.HtmlDecode(value.Groups[1].Value);
    }

    private async Task WithLogsOnFailure(Func<Task> test)
    {
        try
        {
            await test();
        }
        catch
        {
            output.WriteLine(cluster.Logs);
            throw;
        }
    }
}
