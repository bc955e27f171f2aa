using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Orders;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;
using static Ticketing.Tests.Integration.Codes.CodeTestSupport;

namespace Ticketing.Tests.Integration.Codes;

/// <summary>
/// Issue 23 item 5, presales: an access code opens the event's hidden (presale-only) categories and buying before the
/// sale opens, during its own window, with a use limit counted exactly in the database (a conditional update per code),
/// given back when the hold ends unpaid.
/// </summary>
public abstract class AccessCodeTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(TestEvent Event, HttpClient Owner)> PresaleEventAsync(TimeSpan? salesOpenIn = null)
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Cat 1", 4500, 200).WithCategory("Fan club", 3900, 200)
            .WithSalesWindow(salesOpenIn, null).SaveAsync();
        await HideAsync(app, ev.Categories[1].Id);
        return (ev, owner);
    }

    private static async Task<JsonElement> CreateAsync(HttpClient owner, TestEvent ev, object body) =>
        await (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/access-codes", body)).ReadJsonAsync(HttpStatusCode.Created);

    [Fact]
    public async Task ThirtyParallelOrders_OnACodeOfFiveUses_HoldExactlyFive_AndTheCounterReadsFive()
    {
        var (ev, owner) = await PresaleEventAsync();
        var code = await CreateAsync(owner, ev, new { code = "FANS-2026", maxUses = 5 });
        var fans = new List<HttpClient>();
        for (var i = 0; i < 10; i++) fans.Add((await app.CreateUserClientAsync()).Client);

        var answers = await ParallelAsync(fans, 30, i => Order(ev, 2, category: 1, accessCode: i % 2 == 0 ? "fans-2026" : "Fans 2026"));

        Assert.DoesNotContain(answers, a => a.Status >= 500);
        Assert.Equal(5, answers.Count(a => a.Status == 201));
        Assert.All(answers.Where(a => a.Status != 201), a => Assert.Equal((409, "access_code_invalid"), (a.Status, a.Code)));
        Assert.Equal((5, 5), await UsesAsync(app, code.GetProperty("id").GetGuid()));
        Assert.Equal(10, (await CategoryAsync(app, ev.Categories[1].Id)).Held);
        var listed = await (await owner.GetAsync($"/api/events/{ev.EventId}/access-codes")).ReadJsonAsync();
        Assert.Equal(5, listed.GetProperty("items")[0].GetProperty("uses").GetInt32());
    }

    [Fact]
    public async Task AReleasedHold_AndAnExpiredOne_GiveTheirUseBack_APaidOneKeepsIt()
    {
        var (ev, owner) = await PresaleEventAsync();
        var codeId = (await CreateAsync(owner, ev, new { code = "SCHOOL", maxUses = 1 })).GetProperty("id").GetGuid();
        var (a, _, _) = await app.CreateUserClientAsync();
        var (b, _, _) = await app.CreateUserClientAsync();

        var first = await PlaceAsync(a, Order(ev, 1, 1, "school"));
        Assert.Equal(201, first.Status);
        var refused = await PlaceAsync(b, Order(ev, 1, 1, "school"));
        Assert.Equal((409, "access_code_invalid", "exhausted"), (refused.Status, refused.Code, refused.Body.GetProperty("reason").GetString()));
        Assert.Equal(HttpStatusCode.NoContent, (await a.DeleteAsync($"/api/orders/{first.Body.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Equal((0, 0), await UsesAsync(app, codeId));

        var second = await PlaceAsync(b, Order(ev, 1, 1, "SCHOOL"));
        Assert.Equal(201, second.Status);
        Assert.Equal((1, 1), await UsesAsync(app, codeId));
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        await WithServiceAsync<OrderService, int>(app, s => s.ExpireHoldsAsync(app.Clock.GetUtcNow()));
        Assert.Equal((0, 0), await UsesAsync(app, codeId));
        Assert.Equal(0, (await CategoryAsync(app, ev.Categories[1].Id)).Held);

        var third = await PlaceAsync(a, Order(ev, 1, 1, "school"));
        Assert.Equal(201, third.Status);
        await (await a.PostAsJsonAsync($"/api/orders/{third.Body.GetProperty("id").GetGuid()}/payment", Card())).ReadJsonAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        await WithServiceAsync<OrderService, int>(app, s => s.ExpireHoldsAsync(app.Clock.GetUtcNow()));
        Assert.Equal((1, 1), await UsesAsync(app, codeId));
    }

    [Fact]
    public async Task AHiddenCategory_WithoutACode_IsRefused_AndIsNotOfferedToThePublic()
    {
        var (ev, owner) = await PresaleEventAsync();
        var (fan, _, _) = await app.CreateUserClientAsync();

        var refused = await PlaceAsync(fan, Order(ev, 1, category: 1));
        Assert.Equal((409, "access_code_invalid"), (refused.Status, refused.Code));
        Assert.Equal("required", refused.Body.GetProperty("reason").GetString());
        Assert.Equal(0, (await CategoryAsync(app, ev.Categories[1].Id)).Held);
        // The public category still sells without a code.
        Assert.Equal(201, (await PlaceAsync(fan, Order(ev, 1, category: 0))).Status);
        var options = await WithServiceAsync<OrderService, BookingOptions?>(app, s => s.GetBookingOptionsAsync(ev.PerformanceId));
        Assert.Equal(["Cat 1"], options!.Categories.Select(c => c.Name));
        var shown = await (await app.CreateClient().GetAsync($"/api/events/{ev.EventId}")).ReadJsonAsync();
        Assert.Equal(["Cat 1"], shown.GetProperty("performances")[0].GetProperty("categories").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        var managed = await (await owner.GetAsync($"/api/events/{ev.EventId}")).ReadJsonAsync();
        Assert.Equal([false, true], managed.GetProperty("performances")[0].GetProperty("categories").EnumerateArray().Select(c => c.GetProperty("presaleOnly").GetBoolean()));
        // With a code that covers it, the booking panel offers it.
        await CreateAsync(owner, ev, new { code = "FANCLUB", maxUses = 10 });
        var unlocked = await WithServiceAsync<OrderService, BookingOptions?>(app, s => s.GetBookingOptionsAsync(ev.PerformanceId, "fan club"));
        Assert.Equal(["Cat 1", "Fan club"], unlocked!.Categories.Select(c => c.Name));
        Assert.Equal(ErrorCodes.AccessCodeInvalid, (await Assert.ThrowsAsync<DomainException>(() =>
            WithServiceAsync<OrderService, BookingOptions?>(app, s => s.GetBookingOptionsAsync(ev.PerformanceId, "wrong")))).Code);
    }

    [Fact]
    public async Task Codes_OutOfTheirWindow_OfAnotherEvent_OrAnotherCategory_OrDisabled_AreRefused()
    {
        var (ev, owner) = await PresaleEventAsync();
        var now = app.Clock.GetUtcNow();
        await CreateAsync(owner, ev, new { code = "LATER", maxUses = 10, validFrom = now.AddDays(1) });
        await CreateAsync(owner, ev, new { code = "OVER", maxUses = 10, validTo = now.AddMinutes(5) });
        await CreateAsync(owner, ev, new { code = "CATONE", maxUses = 10, categoryIds = new[] { ev.Categories[0].Id } });
        var off = await CreateAsync(owner, ev, new { code = "GONE", maxUses = 10 });
        var (otherOwner, otherOwnerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var other = await Event(app).OwnedBy(otherOwnerId).SaveAsync();
        await CreateAsync(otherOwner, other, new { code = "ELSEWHERE", maxUses = 10 });
        await (await owner.PostAsync($"/api/events/{ev.EventId}/access-codes/{off.GetProperty("id").GetGuid()}/disable", null)).ReadJsonAsync();
        var (fan, _, _) = await app.CreateUserClientAsync();
        app.Clock.Advance(TimeSpan.FromMinutes(6));

        foreach (var (code, reason) in new[] { ("later", "not_yet_valid"), ("over", "expired"), ("catone", "category"), ("gone", "unknown"), ("elsewhere", "unknown") })
        {
            var answer = await PlaceAsync(fan, Order(ev, 1, category: 1, accessCode: code));
            Assert.Equal((409, "access_code_invalid", reason), (answer.Status, answer.Code, answer.Body.GetProperty("reason").GetString()));
        }
        Assert.Equal(0, (await CategoryAsync(app, ev.Categories[1].Id)).Held);
        // Another organizer cannot see the event's codes (403, as for the event's other management endpoints).
        Assert.Equal(HttpStatusCode.Forbidden, (await otherOwner.GetAsync($"/api/events/{ev.EventId}/access-codes")).StatusCode);
        // The same code twice (case and dashes ignored) is refused.
        await (await owner.PostAsJsonAsync($"/api/events/{ev.EventId}/access-codes", new { code = "Cat-One", maxUses = 1 }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task BeforeTheOpening_OnlyAValidCode_Buys_DuringItsWindow()
    {
        var (ev, owner) = await PresaleEventAsync(salesOpenIn: TimeSpan.FromDays(2));
        var now = app.Clock.GetUtcNow();
        await CreateAsync(owner, ev, new { code = "EARLY", maxUses = 100, validFrom = now.AddHours(1), validTo = now.AddDays(1) });
        var (fan, _, _) = await app.CreateUserClientAsync();

        Assert.Equal("sales_not_open", (await PlaceAsync(fan, Order(ev, 1))).Code);
        Assert.Equal("not_yet_valid", (await PlaceAsync(fan, Order(ev, 1, accessCode: "early"))).Body.GetProperty("reason").GetString());
        app.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(201, (await PlaceAsync(fan, Order(ev, 2, accessCode: "early"))).Status);
        Assert.Equal(201, (await PlaceAsync(fan, Order(ev, 2, category: 1, accessCode: " Early "))).Status);
        Assert.Equal("sales_not_open", (await PlaceAsync(fan, Order(ev, 1))).Code);
        app.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal("expired", (await PlaceAsync(fan, Order(ev, 1, accessCode: "early"))).Body.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task WithAWaitingRoom_APresaleCodeBuysBeforeTheQueueOpens_WithoutAdmission_ButNotAfter()
    {
        var (ev, owner) = await PresaleEventAsync(salesOpenIn: TimeSpan.FromHours(1));
        (await owner.PutAsJsonAsync($"/api/performances/{ev.PerformanceId}/queue/settings",
            new { enabled = true, admitPerMinute = 1, opensAt = app.Clock.GetUtcNow() + TimeSpan.FromHours(1) })).EnsureSuccessStatusCode();
        await CreateAsync(owner, ev, new { code = "VIP", maxUses = 10 });
        var (fan, _, _) = await app.CreateUserClientAsync();

        Assert.Equal((403, "admission_required"), Pick(await PlaceAsync(fan, Order(ev, 1))));
        Assert.Equal((409, "access_code_invalid"), Pick(await PlaceAsync(fan, Order(ev, 1, accessCode: "nope"))));
        Assert.Equal(201, (await PlaceAsync(fan, Order(ev, 1, accessCode: "vip"))).Status);
        app.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.Equal((403, "admission_required"), Pick(await PlaceAsync(fan, Order(ev, 1, accessCode: "vip"))));
        Assert.Equal(1, (await CategoryAsync(app, ev.Categories[0].Id)).Held);
    }

    private static (int, string?) Pick((int Status, string? Code, JsonElement _) answer) => (answer.Status, answer.Code);
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteAccessCodeTests(SqliteApp app) : AccessCodeTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresAccessCodeTests(PostgresApp app) : AccessCodeTests(app);
