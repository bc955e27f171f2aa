using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Ticketing.Core.Accounts;
using Ticketing.Tests.Infrastructure;

namespace Ticketing.Tests.Integration.Seating;

/// <summary>Issue 22: the dashboard's plan editor renders its owner's plans (encoded), never another organizer's.</summary>
public abstract partial class SeatingPlansPageTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<HttpClient> BrowserAsync(string email)
    {
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var login = await browser.GetStringAsync("/account/login");
        var token = AntiforgeryInput().Match(login).Groups[1].Value;
        var signedIn = await browser.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token), ["Input.Email"] = email, ["Input.Password"] = TicketingApp.Password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return browser;
    }

    [Fact]
    public async Task ThePlanEditor_ListsItsOwnersPlansEncoded_AndNotAnotherOrganizers_AndTheDashboardLinksToIt()
    {
        var (owner, _, ownerEmail) = await app.CreateUserClientAsync(Roles.Organizer);
        var generated = await (await owner.PostAsJsonAsync("/api/seating-plans/generate", new
        {
            name = "Salle <b>Rouge</b>", blocks = new[] { new { section = "Parterre", rows = 2, seatsPerRow = 5, category = "Orchestre" } },
        })).ReadJsonAsync(HttpStatusCode.OK);
        (await owner.PostAsync("/api/seating-plans", JsonContent.Create(generated))).EnsureSuccessStatusCode();

        var browser = await BrowserAsync(ownerEmail);
        var page = await browser.GetAsync("/dashboard/seating-plans");
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Seating plans", html);
        Assert.Contains("Salle &lt;b&gt;Rouge&lt;/b&gt;", html);
        Assert.DoesNotContain("<b>Rouge</b>", html);
        Assert.Contains("10 seats", html);
        Assert.Contains("/dashboard/seating-plans", await browser.GetStringAsync("/dashboard"));
        // A new date in the event editor may take one of the organizer's plans.
        var editor = await browser.GetStringAsync("/dashboard/events/new");
        Assert.Contains("Seating plan", editor);

        var (_, _, otherEmail) = await app.CreateUserClientAsync(Roles.Organizer);
        var other = await (await BrowserAsync(otherEmail)).GetStringAsync("/dashboard/seating-plans");
        Assert.DoesNotContain("Rouge", other);
        Assert.Contains("No seating plan yet", other);
        Assert.DoesNotContain("Seating plan", await (await BrowserAsync(otherEmail)).GetStringAsync("/dashboard/events/new"));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryInput();
}

[Collection(SqliteCollection.Name)]
public sealed class SeatingPlansPageTests_Sqlite(SqliteApp app) : SeatingPlansPageTests(app);

[Collection(PostgresCollection.Name)]
public sealed class SeatingPlansPageTests_Postgres(PostgresApp app) : SeatingPlansPageTests(app);
