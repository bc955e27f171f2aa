using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Accounts;
using Ticketing.Core.Persistence;
using Ticketing.Core.WaitingRoom;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.WaitingRoom;

public sealed class WaitingRoomSqliteApp : TicketingApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
    // Status answers are not cached: the tests move the clock and read again at once.
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        { ["WaitingRoom:CacheMilliseconds"] = "0", ["WaitingRoom:TurnMinutes"] = "10" };
}

public sealed class WaitingRoomPostgresApp : TicketingApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        { ["WaitingRoom:CacheMilliseconds"] = "0", ["WaitingRoom:TurnMinutes"] = "10" };
}

/// <summary>
/// Issue 23: the virtual waiting room. The pre-queue's places are the ranks of SHA-256(seed ‖ entry id), recomputed here
/// from the revealed seed alone; late fans join behind in arrival order; one entry per account (a unique index, proven
/// with parallel joins); during a queued sale POST /api/orders needs a valid admission token of this account and date.
/// </summary>
public abstract class WaitingRoomTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ThePreQueueOrder_EqualsTheOrderRecomputedFromTheRevealedSeed_AndTheCommitmentWasPublishedBefore()
    {
        var (ev, organizer) = await QueuedEventAsync(rate: 60, opensIn: TimeSpan.FromHours(1));
        var before = await (await organizer.GetAsync($"/api/performances/{ev.PerformanceId}/queue/fairness")).ReadJsonAsync();
        var commitment = before.GetProperty("commitment").GetString()!;
        Assert.Matches("^[0-9a-f]{64}$", commitment);
        Assert.Equal(JsonValueKind.Null, before.GetProperty("seed").ValueKind);

        var fans = new List<(HttpClient Client, Guid EntryId)>();
        for (int i = 0; i < 25; i++)
        {
            var (client, _, _) = await app.CreateUserClientAsync();
            var joined = await (await client.PostAsync($"/api/performances/{ev.PerformanceId}/queue", null)).ReadJsonAsync(HttpStatusCode.Created);
            Assert.Equal("Waiting", joined.GetProperty("status").GetString());
            Assert.Equal(JsonValueKind.Null, joined.GetProperty("position").ValueKind); // drawn at the opening only
            fans.Add((client, joined.GetProperty("entryId").GetGuid()));
        }

        app.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        var after = await (await app.CreateClient().GetAsync($"/api/performances/{ev.PerformanceId}/queue/fairness")).ReadJsonAsync();
        Assert.Equal(commitment, after.GetProperty("commitment").GetString());
        var seed = Convert.FromHexString(after.GetProperty("seed").GetString()!);
        Assert.Equal(commitment, Convert.ToHexStringLower(SHA256.HashData(seed)));

        // Recomputed from public data only: hex SHA-256(seed bytes ‖ UTF-8 of the entry id), ascending.
        var expected = fans.Select(f => f.EntryId)
            .OrderBy(id => Convert.ToHexStringLower(SHA256.HashData([.. seed, .. Encoding.UTF8.GetBytes(id.ToString())])), StringComparer.Ordinal)
            .ToList();
        var published = await (await app.CreateClient().GetAsync($"/api/performances/{ev.PerformanceId}/queue/fairness/order?pageSize=100")).ReadJsonAsync();
        Assert.Equal(expected, published.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("entryId").GetGuid()).ToList());
        Assert.Equal(Enumerable.Range(1, 25), published.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("position").GetInt32()));

        foreach (var (client, entryId) in fans)
        {
            var status = await (await client.GetAsync($"/api/queue/{entryId}")).ReadJsonAsync();
            Assert.Equal(expected.IndexOf(entryId) + 1, status.GetProperty("position").GetInt32());
        }
    }

    [Fact]
    public async Task FansWhoJoinAfterTheOpening_ComeBehindThePreQueue_InArrivalOrder_AndJoiningTwiceKeepsThePlace()
    {
        var (ev, _) = await QueuedEventAsync(rate: 1, opensIn: TimeSpan.FromMinutes(5));
        for (int i = 0; i < 3; i++)
        {
            var (early, _, _) = await app.CreateUserClientAsync();
            (await early.PostAsync($"/api/performances/{ev.PerformanceId}/queue", null)).EnsureSuccessStatusCode();
        }
        app.Clock.Advance(TimeSpan.FromMinutes(5));

        var late = new List<(HttpClient Client, JsonElement Entry)>();
        for (int i = 0; i < 3; i++)
        {
            var (client, _, _) = await app.CreateUserClientAsync();
            late.Add((client, await (await client.PostAsync($"/api/performances/{ev.PerformanceId}/queue", null)).ReadJsonAsync(HttpStatusCode.Created)));
            app.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        Assert.Equal([4, 5, 6], late.Select(l => l.Entry.GetProperty("position").GetInt32()));
        Assert.All(late, l => Assert.False(l.Entry.GetProperty("preQueue").GetBoolean()));
        Assert.Equal(3, late[0].Entry.GetProperty("ahead").GetInt32()); // place 4 at the opening: nobody admitted yet

        var again = await (await late[1].Client.PostAsync($"/api/performances/{ev.PerformanceId}/queue", null)).ReadJsonAsync(HttpStatusCode.OK);
        Assert.Equal(late[1].Entry.GetProperty("entryId").GetGuid(), again.GetProperty("entryId").GetGuid());
        Assert.Equal(5, again.GetProperty("position").GetInt32());
        // Another fan's entry is not theirs to read.
        Assert.Equal(HttpStatusCode.NotFound, (await late[0].Client.GetAsync($"/api/queue/{again.GetProperty("entryId").GetGuid()}")).StatusCode);
    }

    [Fact]
    public async Task TwoHundredParallelJoins_OfFortyAccounts_GiveOneEntryPerAccount_AndDistinctPlaces()
    {
        var (ev, _) = await QueuedEventAsync(rate: 10, opensIn: TimeSpan.FromMinutes(1));
        app.Clock.Advance(TimeSpan.FromMinutes(1)); // after the opening: places come from the shared counter at once
        var accounts = new List<HttpClient>();
        for (int i = 0; i < 40; i++) accounts.Add((await app.CreateUserClientAsync()).Client);

        using var start = new SemaphoreSlim(0);
        var running = Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            await start.WaitAsync();
            var response = await accounts[i % 40].PostAsync($"/api/performances/{ev.PerformanceId}/queue", null);
            return (Account: i % 40, Status: (int)response.StatusCode, Body: JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
        })).ToList();
        start.Release(200);
        var answers = await Task.WhenAll(running);

        Assert.All(answers, a => Assert.Contains(a.Status, new[] { 200, 201 }));
        foreach (var group in answers.GroupBy(a => a.Account))
        {
            Assert.Single(group, a => a.Status == 201);
            Assert.Single(group.Select(a => a.Body.GetProperty("entryId").GetGuid()).Distinct());
            Assert.Single(group.Select(a => a.Body.GetProperty("position").GetInt32()).Distinct());
        }
        var entries = await QueryAsync(app, db => db.Set<QueueEntry>().AsNoTracking().Where(e => e.PerformanceId == ev.PerformanceId).ToListAsync());
        Assert.Equal(40, entries.Count);
        Assert.Equal(Enumerable.Range(1, 40), entries.Select(e => e.Position!.Value).Order());
    }

    [Fact]
    public async Task OrdersDuringAQueuedSale_NeedTheFansOwnValidAdmissionToken_Else403AdmissionRequired()
    {
        var (ev, _) = await QueuedEventAsync(rate: 60, opensIn: TimeSpan.FromMinutes(1));
        var (other, _) = await QueuedEventAsync(rate: 60, opensIn: TimeSpan.FromMinutes(1));
        var (fan, _, _) = await app.CreateUserClientAsync();
        var (friend, _, _) = await app.CreateUserClientAsync();
        var entry = await (await fan.PostAsync($"/api/performances/{ev.PerformanceId}/queue", null)).ReadJsonAsync(HttpStatusCode.Created);
        await (await friend.PostAsync($"/api/performances/{ev.PerformanceId}/queue", null)).ReadJsonAsync(HttpStatusCode.Created);
        await (await fan.PostAsync($"/api/performances/{other.PerformanceId}/queue", null)).ReadJsonAsync(HttpStatusCode.Created);

        // Before the fan's turn: no token, and no order without one.
        await (await fan.PostAsJsonAsync("/api/orders", Hold(ev, 1))).AssertProblemAsync(HttpStatusCode.Forbidden, "admission_required");

        app.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(5)); // 5 places admitted at 60/min
        var status = await (await fan.GetAsync($"/api/queue/{entry.GetProperty("entryId").GetGuid()}")).ReadJsonAsync();
        Assert.Equal("Admitted", status.GetProperty("status").GetString());
        var token = status.GetProperty("admissionToken").GetString()!;

        var forged = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];
        var swapped = token.Replace(ev.PerformanceId.ToString("N"), other.PerformanceId.ToString("N"));
        await (await OrderAsync(fan, ev, null)).AssertProblemAsync(HttpStatusCode.Forbidden, "admission_required");
        await (await OrderAsync(fan, ev, "not-a-token")).AssertProblemAsync(HttpStatusCode.Forbidden, "admission_required");
        await (await OrderAsync(fan, ev, forged)).AssertProblemAsync(HttpStatusCode.Forbidden, "admission_required");
        await (await OrderAsync(friend, ev, token)).AssertProblemAsync(HttpStatusCode.Forbidden, "admission_required");   // another account's
        await (await OrderAsync(fan, other, token)).AssertProblemAsync(HttpStatusCode.Forbidden, "admission_required");   // another date's
        await (await OrderAsync(fan, other, swapped)).AssertProblemAsync(HttpStatusCode.Forbidden, "admission_required");  // re-bound by hand
        Assert.Equal(0, await OrderCountAsync(ev));
        Assert.Equal(0, await OrderCountAsync(other));

        await (await OrderAsync(fan, ev, token)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal(1, await OrderCountAsync(ev));

        // The turn runs out: the same token no longer admits, and the entry says Expired.
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        await (await OrderAsync(fan, ev, token)).AssertProblemAsync(HttpStatusCode.Forbidden, "admission_required");
        var expired = await (await fan.GetAsync($"/api/queue/{entry.GetProperty("entryId").GetGuid()}")).ReadJsonAsync();
        Assert.Equal("Expired", expired.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, expired.GetProperty("admissionToken").ValueKind);
        Assert.Equal(1, await OrderCountAsync(ev));

        // A date without a waiting room asks for nothing.
        var free = await Event(app).SaveAsync();
        await (await OrderAsync(fan, free, null)).ReadJsonAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task OnlyTheOwnerOrAnAdminConfiguresTheWaitingRoom_AndJoiningADateWithoutOneAnswers409()
    {
        var (ev, owner) = await QueuedEventAsync(rate: 60, opensIn: TimeSpan.FromMinutes(1));
        var (stranger, _, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var (fan, _, _) = await app.CreateUserClientAsync();
        var settings = new { enabled = true, admitPerMinute = 100 };
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.PutAsJsonAsync($"/api/performances/{ev.PerformanceId}/queue/settings", settings)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await fan.PutAsJsonAsync($"/api/performances/{ev.PerformanceId}/queue/settings", settings)).StatusCode);
        await (await owner.PutAsJsonAsync($"/api/performances/{ev.PerformanceId}/queue/settings", new { enabled = true, admitPerMinute = 0 }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        var saved = await (await owner.PutAsJsonAsync($"/api/performances/{ev.PerformanceId}/queue/settings", settings)).ReadJsonAsync();
        Assert.Equal(100, saved.GetProperty("admitPerMinute").GetInt32());

        var plain = await Event(app).SaveAsync();
        await (await fan.PostAsync($"/api/performances/{plain.PerformanceId}/queue", null)).AssertProblemAsync(HttpStatusCode.Conflict, "waiting_room_disabled");
    }

    [Fact]
    public async Task TheFairnessPage_ShowsTheCommitmentInBothLanguages_AndTheWaitingPageAsksAnonymousVisitorsToSignIn()
    {
        var (ev, owner) = await QueuedEventAsync(rate: 60, opensIn: TimeSpan.FromHours(1));
        var commitment = (await (await owner.GetAsync($"/api/performances/{ev.PerformanceId}/queue/fairness")).ReadJsonAsync()).GetProperty("commitment").GetString()!;
        foreach (var (lang, title) in new[] { ("en", "A fair draw that anyone can check"), ("fr", "Un tirage équitable, vérifiable par tous") })
        {
            var client = app.CreateClient();
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(lang);
            var page = await client.GetStringAsync($"/waiting-room/{ev.PerformanceId}/fairness");
            Assert.Contains(commitment, page);
            Assert.Contains(title, page);
            Assert.DoesNotContain("data-testid=\"seed\"", page);
        }
        var waiting = await app.CreateClient().GetStringAsync($"/waiting-room/{ev.PerformanceId}");
        Assert.Contains("data-testid=\"queue-sign-in\"", waiting);
        Assert.Contains("returnUrl=%2Fwaiting-room%2F" + ev.PerformanceId, waiting);
    }

    [Fact]
    public async Task ThePerformancesWaitingRoom_CanBeSwitchedOnThroughPutEvents_AsTheContractSays()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 3900, 500).SaveAsync();
        var detail = await (await owner.GetAsync($"/api/events/{ev.EventId}")).ReadJsonAsync();
        var p = detail.GetProperty("performances")[0];
        var body = new
        {
            title = detail.GetProperty("title").GetString(), description = detail.GetProperty("description").GetString(), category = "Concert",
            performances = new[]
            {
                new
                {
                    id = ev.PerformanceId, startsAt = p.GetProperty("startsAt").GetDateTimeOffset(),
                    venue = new { name = "Salle Pleyel", city = "Paris", address = "252 rue du Faubourg Saint-Honoré" },
                    categories = new[] { new { id = ev.Categories[0].Id, name = "Fosse", price = 39m, capacity = 500 } },
                    waitingRoom = new { enabled = true, admitPerMinute = 30 },
                },
            },
        };
        (await owner.PutAsJsonAsync($"/api/events/{ev.EventId}", body)).EnsureSuccessStatusCode();
        var settings = await (await owner.GetAsync($"/api/performances/{ev.PerformanceId}/queue/settings")).ReadJsonAsync();
        Assert.True(settings.GetProperty("enabled").GetBoolean());
        Assert.Equal(30, settings.GetProperty("admitPerMinute").GetInt32());
        var (fan, _, _) = await app.CreateUserClientAsync();
        await (await fan.PostAsync($"/api/performances/{ev.PerformanceId}/queue", null)).ReadJsonAsync(HttpStatusCode.Created);
        await (await fan.PostAsJsonAsync("/api/orders", Hold(ev, 1))).AssertProblemAsync(HttpStatusCode.Forbidden, "admission_required");
    }

    [Fact]
    public async Task TheAutomaticRate_FollowsThePurchases_AndNoPlaceAlreadyAdmittedMoves()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 3900, 500).SaveAsync();
        var settingsUrl = $"/api/performances/{ev.PerformanceId}/queue/settings";
        (await owner.PutAsJsonAsync(settingsUrl, new { enabled = true, admitPerMinute = 60, automatic = true, opensAt = app.Clock.GetUtcNow().AddMinutes(1) }))
            .EnsureSuccessStatusCode();
        var fans = new List<(HttpClient Client, Guid Entry)>();
        for (var i = 0; i < 6; i++)
        {
            var (client, _, _) = await app.CreateUserClientAsync();
            var joined = await (await client.PostAsync($"/api/performances/{ev.PerformanceId}/queue", null)).ReadJsonAsync(HttpStatusCode.Created);
            fans.Add((client, joined.GetProperty("entryId").GetGuid()));
        }
        var rooms = app.Services.GetRequiredService<WaitingRoomService>();

        // The first 3 minutes after the opening run at the most (60 a minute), whatever is sold.
        app.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(10));
        Assert.Equal(0, await rooms.AdjustAutomaticRatesAsync());
        app.Clock.Advance(TimeSpan.FromMinutes(3));

        // Four admitted fans buy; the others' turns are running.
        var turns = new Dictionary<Guid, DateTimeOffset>();
        foreach (var (client, entry) in fans)
        {
            var status = await (await client.GetAsync($"/api/queue/{entry}")).ReadJsonAsync();
            Assert.Equal("Admitted", status.GetProperty("status").GetString());
            turns[entry] = status.GetProperty("admissionExpiresAt").GetDateTimeOffset();
            if (turns.Count > 4) continue;
            var order = await (await OrderAsync(client, ev, status.GetProperty("admissionToken").GetString())).ReadJsonAsync(HttpStatusCode.Created);
            (await client.PostAsJsonAsync($"/api/orders/{order.GetProperty("id").GetGuid()}/payment", Card())).EnsureSuccessStatusCode();
        }
        // The test clock also moves with real time: counts are compared within what a few seconds add.
        var before = await (await owner.GetAsync(settingsUrl)).ReadJsonAsync();
        var admitted = before.GetProperty("admittedCount").GetInt32();
        Assert.InRange(admitted, 190, 200); // 3 min 10 s at 60 a minute
        Assert.Equal(60, before.GetProperty("currentAdmitPerMinute").GetInt32());

        // 4 purchases in 3 minutes × 1.5 = 2 a minute, below a tenth of the most: 6 a minute from now on.
        Assert.Equal(1, await rooms.AdjustAutomaticRatesAsync());
        Assert.Equal(0, await rooms.AdjustAutomaticRatesAsync()); // the same figures change nothing
        var after = await (await owner.GetAsync(settingsUrl)).ReadJsonAsync();
        Assert.True(after.GetProperty("automatic").GetBoolean());
        Assert.Equal(6, after.GetProperty("currentAdmitPerMinute").GetInt32());
        var continued = after.GetProperty("admittedCount").GetInt32();
        Assert.InRange(continued, admitted, admitted + 10); // no jump at the change
        foreach (var (client, entry) in fans)
        {
            var status = await (await client.GetAsync($"/api/queue/{entry}")).ReadJsonAsync();
            Assert.Equal(turns[entry], status.GetProperty("admissionExpiresAt").GetDateTimeOffset());
        }
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var slow = (await (await owner.GetAsync(settingsUrl)).ReadJsonAsync()).GetProperty("admittedCount").GetInt32();
        Assert.InRange(slow - continued, 6, 7); // one minute at 6 a minute

        // The organizer goes back to a fixed rate: it runs from now on, from the places admitted so far.
        (await owner.PutAsJsonAsync(settingsUrl, new { enabled = true, admitPerMinute = 120, automatic = false })).EnsureSuccessStatusCode();
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        var fixedRate = await (await owner.GetAsync(settingsUrl)).ReadJsonAsync();
        Assert.False(fixedRate.GetProperty("automatic").GetBoolean());
        Assert.InRange(fixedRate.GetProperty("admittedCount").GetInt32() - slow, 60, 70); // 30 s at 120 a minute, from where it was
        Assert.Equal(0, await rooms.AdjustAutomaticRatesAsync());
    }

    private async Task<(TestEvent Event, HttpClient Owner)> QueuedEventAsync(int rate, TimeSpan opensIn)
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 3900, 500).SaveAsync();
        (await owner.PutAsJsonAsync($"/api/performances/{ev.PerformanceId}/queue/settings",
            new { enabled = true, admitPerMinute = rate, opensAt = app.Clock.GetUtcNow() + opensIn })).EnsureSuccessStatusCode();
        return (ev, owner);
    }

    private static Task<HttpResponseMessage> OrderAsync(HttpClient client, TestEvent ev, string? token)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/orders") { Content = JsonContent.Create(Hold(ev, 1)) };
        if (token is not null) request.Headers.TryAddWithoutValidation("Admission-Token", token);
        return client.SendAsync(request);
    }

    private Task<int> OrderCountAsync(TestEvent ev) =>
        QueryAsync(app, db => db.Orders.CountAsync(o => o.PerformanceId == ev.PerformanceId));
}

public sealed class SqliteWaitingRoomTests(WaitingRoomSqliteApp app) : WaitingRoomTests(app), IClassFixture<WaitingRoomSqliteApp>;

public sealed class PostgresWaitingRoomTests(WaitingRoomPostgresApp app) : WaitingRoomTests(app), IClassFixture<WaitingRoomPostgresApp>;
