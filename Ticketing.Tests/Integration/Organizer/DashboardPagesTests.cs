using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Ticketing.Core.Accounts;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Organizer;

/// <summary>The organizer's dashboard pages for reports, the season and reschedules, rendered by the real app (signed in through the
/// login form): the owner sees the figures in English and French; another organizer sees a refusal and none of the data.</summary>
public abstract partial class DashboardPagesTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    internal static async Task<HttpClient> BrowserAsync(TicketingApp app, string email, string password = TicketingApp.Password)
    {
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var login = await browser.GetStringAsync("/account/login");
        var token = AntiforgeryInput().Match(login).Groups[1].Value;
        var signedIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token), ["Input.Email"] = email, ["Input.Password"] = password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return browser;
    }

    internal static async Task<string> PageAsync(HttpClient browser, string path)
    {
        var response = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheReportsPage_ShowsChannelsDaysGatesAndDownloads_InBothLanguages_OnlyToTheOwner()
    {
        var (_, ownerId, ownerEmail) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).Titled("Gala <b>de</b> printemps").WithCategory("Carré Or", 8000, 50).SaveAsync();
        var (buyer, _, _) = await app.CreateUserClientAsync();
        await AttendeeMessageTests.BuyAsync(buyer, ev, 1);
        var owner = await BrowserAsync(app, ownerEmail);

        var sales = await PageAsync(owner, $"/dashboard/events/{ev.EventId}/sales");
        Assert.Contains($"/dashboard/events/{ev.EventId}/reports", sales);
        Assert.Contains("data-testid=\"reschedule-button\"", sales);
        Assert.Contains("Change date or venue", sales);

        var raw = await (await owner.GetAsync($"/dashboard/events/{ev.EventId}/reports")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("<b>de</b>", raw);
        var en = WebUtility.HtmlDecode(raw);
        Assert.Contains("Reports · Gala <b>de</b> printemps", en);
        Assert.Contains("Sales by channel", en);
        Assert.Contains("1 ticket · €80.00", en);
        Assert.Contains("0 tickets · €0.00", en);
        Assert.Contains("Resale", en);
        Assert.Contains("Tickets by day and channel", en);
        Assert.Contains("Carré Or", en);
        Assert.Contains("0 admitted of 1", en);
        foreach (var file in new[] { "orders.csv", "orders.xlsx", "attendees.xlsx" })
            Assert.Contains($"/api/events/{ev.EventId}/{file}", en);

        var fr = await PageAsync(owner, $"/dashboard/events/{ev.EventId}/reports?culture=fr");
        Assert.Contains("Ventes par canal", fr);
        Assert.Contains("1 billet · 80,00", fr);
        Assert.Contains("0 billet · 0,00", fr);
        Assert.Contains("Revente", fr);
        Assert.Contains("0 entré sur 1", fr); // French "one" is 0 and 1

        var (_, _, otherEmail) = await app.CreateUserClientAsync(Roles.Organizer);
        var other = await PageAsync(await BrowserAsync(app, otherEmail), $"/dashboard/events/{ev.EventId}/reports");
        Assert.Contains("You are not allowed to do this.", other);
        Assert.DoesNotContain("Gala", other);
        Assert.DoesNotContain("orders.csv", other);
        Assert.DoesNotContain("Carré Or", other);

        var admin = await PageAsync(await BrowserAsync(app, TicketingApp.AdminEmail, TicketingApp.AdminPassword), $"/dashboard/events/{ev.EventId}/reports");
        Assert.Contains("1 ticket · €80.00", admin);
    }

    [Fact]
    public async Task TheSeasonPage_ListsOnlyTheOrganizersEvents_InBothLanguages()
    {
        var (_, ownerId, ownerEmail) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).Titled("Season <i>opener</i>").WithCategory("Fosse", 3000, 50).SaveAsync();
        await Event(app).OwnedBy(ownerId).Titled("Season closer").StartingIn(TimeSpan.FromDays(90)).SaveAsync();
        await Event(app).Titled("Someone else's show").SaveAsync();
        var (buyer, _, _) = await app.CreateUserClientAsync();
        await AttendeeMessageTests.BuyAsync(buyer, ev, 2);
        var owner = await BrowserAsync(app, ownerEmail);

        Assert.Contains("/dashboard/season", await PageAsync(owner, "/dashboard"));
        var raw = await (await owner.GetAsync("/dashboard/season")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("<i>opener</i>", raw);
        var en = WebUtility.HtmlDecode(raw);
        Assert.Contains("Season <i>opener</i>", en);
        Assert.Contains("Season closer", en);
        Assert.DoesNotContain("Someone else's show", en);
        Assert.Contains("2 sold of 50", en);
        Assert.Contains("€60.00", en);
        Assert.Contains($"/dashboard/events/{ev.EventId}/reports", en);

        var fr = await PageAsync(owner, "/dashboard/season?culture=fr");
        Assert.Contains("Tous vos événements côte à côte.", fr);
        Assert.Contains("60,00", fr);

        var (_, _, otherEmail) = await app.CreateUserClientAsync(Roles.Organizer);
        var other = await PageAsync(await BrowserAsync(app, otherEmail), "/dashboard/season");
        Assert.Contains("No event yet.", other);
        Assert.DoesNotContain("Season closer", other);
    }

    [Fact]
    public async Task MyOrders_OffersTheRefundButton_OnlyWhileTheWindowOfARescheduledPerformanceIsOpen_ToItsBuyer()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 3000, 50).SaveAsync();
        var other = await Event(app).OwnedBy(ownerId).Titled("Not moved").WithCategory("Fosse", 3000, 50).SaveAsync();
        var (buyer, _, buyerEmail) = await app.CreateUserClientAsync(language: "fr");
        var moved = (await AttendeeMessageTests.BuyAsync(buyer, ev, 1)).GetProperty("id").GetGuid();
        await AttendeeMessageTests.BuyAsync(buyer, other, 1);
        var browser = await BrowserAsync(app, buyerEmail);
        Assert.DoesNotContain("data-testid=\"ask-refund\"", await PageAsync(browser, "/account/orders"));

        (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/performances/{ev.PerformanceId}/reschedule",
            new { startsAt = app.Clock.GetUtcNow().AddDays(60), refundUntil = app.Clock.GetUtcNow().AddDays(10) })).EnsureSuccessStatusCode();

        var en = await PageAsync(browser, "/account/orders?culture=en");
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(en, "data-testid=\"ask-refund\""));
        Assert.Contains("Ask for a refund", en);
        Assert.Contains("New date: refund possible until", en);
        var fr = await PageAsync(browser, "/account/orders?culture=fr");
        Assert.Contains("Demander un remboursement", fr);
        Assert.Contains("Nouvelle date\u202F: remboursement possible jusqu’au", fr);

        // Another customer never sees it; after the window closes the buyer does not either.
        var (_, _, strangerEmail) = await app.CreateUserClientAsync();
        Assert.DoesNotContain("ask-refund", await PageAsync(await BrowserAsync(app, strangerEmail), "/account/orders"));
        app.Clock.Advance(TimeSpan.FromDays(11));
        Assert.DoesNotContain("data-testid=\"ask-refund\"", await PageAsync(browser, "/account/orders"));
        Assert.NotEqual(Guid.Empty, moved);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryInput();
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteDashboardPagesTests(SqliteApp app) : DashboardPagesTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresDashboardPagesTests(PostgresApp app) : DashboardPagesTests(app);
