using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Accounts;
using Ticketing.Core.Notifications;
using Ticketing.Tests.Infrastructure;
using Ticketing.Tests.Integration.Notifications;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Organizer;

/// <summary>Messages to attendees: each holder's address once, in their language, through the outbox and a real SMTP server; sent once.</summary>
public abstract class AttendeeMessageTests(SmtpTicketingApp app) : IAsyncLifetime
{
    public async Task InitializeAsync()
    {
        await app.ResetAsync();
        app.Smtp.Refusing = false;
        await app.Smtp.StartAsync();
        app.Smtp.Clear();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    internal static async Task<JsonElement> BuyAsync(HttpClient buyer, TestEvent ev, int quantity, int category = 0)
    {
        var hold = await HoldAsync(buyer, ev, quantity, category);
        var id = hold.GetProperty("id").GetGuid();
        return await (await buyer.PostAsJsonAsync($"/api/orders/{id}/payment", Card())).ReadJsonAsync();
    }

    private static object Message(TestEvent ev, Guid? categoryId = null) => new
    {
        performanceId = ev.PerformanceId, categoryId, subjectEn = "Doors open at 7 pm", bodyEn = "Dear fans,\nthe doors open at 7 pm. <b>Bring ID</b>.",
        subjectFr = "Ouverture des portes à 19 h", bodyFr = "Chers spectateurs,\nles portes ouvrent à 19 h. <b>Pièce d’identité</b>.",
    };

    [Fact]
    public async Task AMessage_ReachesEachHolderOnce_InTheirLanguage_AndSendingTwiceSendsOnce()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Carré Or", 8000, 50).WithCategory("Fosse", 3000, 50).SaveAsync();
        var (alice, _, aliceEmail) = await app.CreateUserClientAsync(displayName: "Alice Martin");
        var (lea, _, leaEmail) = await app.CreateUserClientAsync(displayName: "Léa Dubois", language: "fr");
        // Alice buys twice (two orders, three tickets): one mail. Léa reads French.
        await BuyAsync(alice, ev, 2);
        await BuyAsync(alice, ev, 1, category: 1);
        await BuyAsync(lea, ev, 1, category: 1);
        // A guest with no account (comp, French) and a desk buyer with an email; a desk buyer without an email gets nothing.
        (await owner.PutAsJsonAsync($"/api/events/{ev.EventId}/comp-quotas", new { performanceId = ev.PerformanceId, categoryId = ev.Categories[0].Id, quota = 5 })).EnsureSuccessStatusCode();
        (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/comps", new { performanceId = ev.PerformanceId, categoryId = ev.Categories[0].Id, quantity = 2,
            guest = new { displayName = "Claire Presse", email = "Claire.Presse@example.com" }, language = "fr" })).EnsureSuccessStatusCode();
        (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/box-office-sales", new { performanceId = ev.PerformanceId,
            items = new[] { new { categoryId = ev.Categories[1].Id, quantity = 1 } }, method = "Cash", buyer = new { displayName = "Desk Buyer", email = "desk@example.com" } })).EnsureSuccessStatusCode();
        (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/box-office-sales", new { performanceId = ev.PerformanceId,
            items = new[] { new { categoryId = ev.Categories[1].Id, quantity = 1 } }, method = "Cash", buyer = new { displayName = "No Mail" } })).EnsureSuccessStatusCode();
        await new NotificationTestData(app).DispatchAsync();
        app.Smtp.Clear();

        var count = await (await owner.GetAsync($"/api/events/{ev.EventId}/messages/recipients?performanceId={ev.PerformanceId}")).ReadJsonAsync();
        Assert.Equal((4, 2, 2), (count.GetProperty("count").GetInt32(), count.GetProperty("english").GetInt32(), count.GetProperty("french").GetInt32()));
        var fosse = await (await owner.GetAsync($"/api/events/{ev.EventId}/messages/recipients?performanceId={ev.PerformanceId}&categoryId={ev.Categories[1].Id}")).ReadJsonAsync();
        Assert.Equal(3, fosse.GetProperty("count").GetInt32()); // Alice, Léa, the desk buyer

        var draft = await (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/messages", Message(ev))).ReadJsonAsync(HttpStatusCode.Created);
        var id = draft.GetProperty("id").GetGuid();
        Assert.Equal("Draft", draft.GetProperty("status").GetString());
        var preview = await (await owner.GetAsync($"/api/events/{ev.EventId}/messages/{id}/preview")).ReadJsonAsync();
        Assert.Equal(4, preview.GetProperty("recipients").GetProperty("count").GetInt32());
        var renderings = preview.GetProperty("renderings").EnumerateArray().ToList();
        Assert.Equal("Ouverture des portes à 19 h", renderings.Single(r => r.GetProperty("language").GetString() == "fr").GetProperty("subject").GetString());
        var html = renderings.Single(r => r.GetProperty("language").GetString() == "en").GetProperty("html").GetString()!;
        Assert.Contains("&lt;b&gt;Bring ID&lt;/b&gt;", html);
        Assert.DoesNotContain("<b>Bring ID</b>", html);

        // A double click: two sends at once, then a third; one batch of mails.
        var sends = await Task.WhenAll(owner.PostAsync($"/api/events/{ev.EventId}/messages/{id}/send", null), owner.PostAsync($"/api/events/{ev.EventId}/messages/{id}/send", null));
        foreach (var s in sends) Assert.Equal("Sent", (await s.ReadJsonAsync()).GetProperty("status").GetString());
        var again = await (await owner.PostAsync($"/api/events/{ev.EventId}/messages/{id}/send", null)).ReadJsonAsync();
        Assert.Equal(4, again.GetProperty("recipientCount").GetInt32());
        Assert.Equal(4, await QueryAsync(app, db => db.Notifications.CountAsync(n => n.Kind == NotificationKind.AttendeeMessage)));

        await new NotificationTestData(app).DispatchAsync();
        var mails = app.Smtp.Messages.ToList();
        Assert.Equal(4, mails.Count);
        var to = mails.Select(m => m.To.Mailboxes.Single().Address.ToLowerInvariant()).OrderBy(a => a).ToList();
        Assert.Equal(new[] { aliceEmail.ToLowerInvariant(), "claire.presse@example.com", "desk@example.com", leaEmail.ToLowerInvariant() }.OrderBy(a => a), to);
        var subjects = mails.ToDictionary(m => m.To.Mailboxes.Single().Address.ToLowerInvariant(), m => m.Subject);
        Assert.Equal("Doors open at 7 pm", subjects[aliceEmail.ToLowerInvariant()]);
        Assert.Equal("Ouverture des portes à 19 h", subjects[leaEmail.ToLowerInvariant()]);
        Assert.Equal("Ouverture des portes à 19 h", subjects["claire.presse@example.com"]);
        var leaMail = mails.Single(m => m.Subject!.StartsWith("Ouverture") && m.To.Mailboxes.Single().Name == "Léa Dubois");
        Assert.Contains("Pièce d’identité", leaMail.TextBody!);
        Assert.Contains("&lt;b&gt;", leaMail.HtmlBody!);

        var history = await (await owner.GetAsync($"/api/events/{ev.EventId}/messages")).ReadJsonAsync();
        Assert.Equal(1, history.GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public async Task AMessageInOneLanguage_ReachesTheOtherLanguagesReadersInIt()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).SaveAsync();
        var (lea, _, _) = await app.CreateUserClientAsync(displayName: "Léa Dubois", language: "fr");
        await BuyAsync(lea, ev, 1);
        await new NotificationTestData(app).DispatchAsync();
        app.Smtp.Clear();

        var draft = await (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/messages",
            new { performanceId = ev.PerformanceId, subjectEn = "Parking closed", bodyEn = "Use the metro." })).ReadJsonAsync(HttpStatusCode.Created);
        (await owner.PostAsync($"/api/events/{ev.EventId}/messages/{draft.GetProperty("id").GetGuid()}/send", null)).EnsureSuccessStatusCode();
        await new NotificationTestData(app).DispatchAsync();
        Assert.Equal("Parking closed", Assert.Single(app.Smtp.Messages).Subject);

        // A language half written is refused.
        await (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/messages", new { performanceId = ev.PerformanceId, subjectFr = "Objet" }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AnotherOrganizer_CannotCountPreviewDraftSendOrList_404()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).SaveAsync();
        var draft = await (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/messages", Message(ev))).ReadJsonAsync(HttpStatusCode.Created);
        var id = draft.GetProperty("id").GetGuid();
        var (other, _, _) = await app.CreateUserClientAsync(Roles.Organizer);

        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/events/{ev.EventId}/messages/recipients?performanceId={ev.PerformanceId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsJsonAsync($"/api/events/{ev.EventId}/messages", Message(ev))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/events/{ev.EventId}/messages/{id}/preview")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/events/{ev.EventId}/messages/{id}/send", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/events/{ev.EventId}/messages")).StatusCode);
        Assert.Equal(Ticketing.Core.Messages.AttendeeMessageStatus.Draft, await QueryAsync(app, db => db.AttendeeMessages.Where(m => m.Id == id).Select(m => m.Status).SingleAsync()));
        // A customer is not an organizer at all.
        var (customer, _, _) = await app.CreateUserClientAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await customer.GetAsync($"/api/events/{ev.EventId}/messages")).StatusCode);
    }
}

public sealed class SqliteAttendeeMessageTests(SmtpSqliteApp app) : AttendeeMessageTests(app), IClassFixture<SmtpSqliteApp>;

public sealed class PostgresAttendeeMessageTests(SmtpPostgresApp app) : AttendeeMessageTests(app), IClassFixture<SmtpPostgresApp>;
