using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Notifications;
using Ticketing.Core.Orders;
using Ticketing.Core.Waitlist;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Waitlist;

/// <summary>Waiting lists: one entry per account, returned seats offered in order, an offer not taken goes to the next fan.</summary>
public abstract class WaitlistTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static Task<HttpResponseMessage> JoinAsync(HttpClient fan, TestEvent ev, int quantity) =>
        fan.PostAsJsonAsync($"/api/performances/{ev.PerformanceId}/waitlist", new { categoryId = ev.Categories[0].Id, quantity });

    private Task<int> OfferAsync() => WithServiceAsync<WaitlistService, int>(app, s => s.OfferAsync());

    private Task<WaitlistEntry> EntryAsync(Guid id) => QueryAsync(app, db => db.WaitlistEntries.AsNoTracking().SingleAsync(e => e.Id == id));

    [Fact]
    public async Task ReturnedSeats_GoToTheFirstJoiner_AnOfferNotTakenInTime_GoesToTheNextFan()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 3000, 2).SaveAsync();
        var (buyer, _, _) = await app.CreateUserClientAsync();
        var orderId = (await HoldAsync(buyer, ev, 2)).GetProperty("id").GetGuid();
        var paid = await (await buyer.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).ReadJsonAsync();

        var (first, _, _) = await app.CreateUserClientAsync();
        var (second, _, _) = await app.CreateUserClientAsync();
        var a = await (await JoinAsync(first, ev, 1)).ReadJsonAsync(HttpStatusCode.Created);
        var b = await (await JoinAsync(second, ev, 1)).ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal((1, 2), (a.GetProperty("position").GetInt32(), b.GetProperty("position").GetInt32()));
        // Joining again answers the same entry.
        var again = await (await JoinAsync(first, ev, 2)).ReadJsonAsync();
        Assert.Equal(a.GetProperty("id").GetGuid(), again.GetProperty("id").GetGuid());
        var firstEntry = a.GetProperty("id").GetGuid();
        var secondEntry = b.GetProperty("id").GetGuid();
        Assert.Equal(0, await OfferAsync());

        // One seat comes back (a refund of one ticket): offered to the first joiner, held for them only.
        var ticket = paid.GetProperty("tickets")[0].GetProperty("id").GetGuid();
        (await owner.PostAsJsonAsync($"/api/orders/{orderId}/refund", new { ticketIds = new[] { ticket } })).EnsureSuccessStatusCode();
        Assert.Equal(1, await OfferAsync());
        var offer = await EntryAsync(firstEntry);
        Assert.Equal(WaitlistStatus.Offered, offer.Status);
        Assert.Equal(WaitlistStatus.Waiting, (await EntryAsync(secondEntry)).Status);
        Assert.Equal(1, (await (await second.GetAsync($"/api/performances/{ev.PerformanceId}/waitlist")).ReadJsonAsync())[0].GetProperty("position").GetInt32());
        Assert.Equal((1, 1), ((await CategoryAsync(app, ev.Categories[0].Id)).Sold, (await CategoryAsync(app, ev.Categories[0].Id)).Held));
        Assert.Equal(1, await QueryAsync(app, db => db.Notifications.CountAsync(n => n.OrderId == offer.OfferOrderId && n.Kind == NotificationKind.WaitlistOffer)));
        var (stranger, _, _) = await app.CreateUserClientAsync();
        await (await stranger.PostAsJsonAsync("/api/orders", Hold(ev, 1))).AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.SoldOut);

        // Not paid in time: the seat goes to the next fan in the same run, never back on public sale.
        app.Clock.Advance(TimeSpan.FromMinutes(31));
        Assert.Equal(1, await OfferAsync());
        Assert.Equal(WaitlistStatus.Expired, (await EntryAsync(firstEntry)).Status);
        var next = await EntryAsync(secondEntry);
        Assert.Equal(WaitlistStatus.Offered, next.Status);
        Assert.Equal((1, 1), ((await CategoryAsync(app, ev.Categories[0].Id)).Sold, (await CategoryAsync(app, ev.Categories[0].Id)).Held));
        await (await first.PostAsJsonAsync($"/api/orders/{offer.OfferOrderId}/payment", Card())).AssertProblemAsync(HttpStatusCode.Conflict);

        // The second fan pays through the normal payment.
        (await second.PostAsJsonAsync($"/api/orders/{next.OfferOrderId}/payment", Card())).EnsureSuccessStatusCode();
        Assert.Equal(0, await OfferAsync());
        Assert.Equal(WaitlistStatus.Fulfilled, (await EntryAsync(secondEntry)).Status);
        Assert.Equal((2, 0), ((await CategoryAsync(app, ev.Categories[0].Id)).Sold, (await CategoryAsync(app, ev.Categories[0].Id)).Held));
    }

    [Fact]
    public async Task ParallelOfferRuns_AndAParallelPublicBuyer_NeverAssignAReturnedSeatTwice()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 3000, 1).SaveAsync();
        var (buyer, _, _) = await app.CreateUserClientAsync();
        var orderId = (await HoldAsync(buyer, ev, 1)).GetProperty("id").GetGuid();
        (await buyer.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).EnsureSuccessStatusCode();
        var fans = new List<HttpClient>();
        for (var i = 0; i < 3; i++)
        {
            var (fan, _, _) = await app.CreateUserClientAsync();
            (await JoinAsync(fan, ev, 1)).EnsureSuccessStatusCode();
            fans.Add(fan);
        }
        (await owner.PostAsync($"/api/orders/{orderId}/refund", null)).EnsureSuccessStatusCode();

        var (stranger, _, _) = await app.CreateUserClientAsync();
        var publicHold = stranger.PostAsJsonAsync("/api/orders", Hold(ev, 1));
        var runs = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => OfferAsync()));
        var publicAnswer = await publicHold;

        var offered = await QueryAsync(app, db => db.WaitlistEntries.CountAsync(e => e.CategoryId == ev.Categories[0].Id && e.Status == WaitlistStatus.Offered));
        var category = await CategoryAsync(app, ev.Categories[0].Id);
        // One seat, one holder: either the first fan's offer or the public buyer who came first, never both.
        Assert.Equal(1, offered + (publicAnswer.StatusCode == HttpStatusCode.Created ? 1 : 0));
        Assert.Equal(offered, runs.Sum());
        Assert.Equal((0, 1), (category.Sold, category.Held));
    }

    [Fact]
    public async Task OneEntryPerAccount_EvenUnderParallelJoins_AndNoListWhileSeatsRemain()
    {
        var (_, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 3000, 1).SaveAsync();
        var (fan, _, _) = await app.CreateUserClientAsync();
        await (await JoinAsync(fan, ev, 1)).AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.WaitlistNotSoldOut);
        var (buyer, _, _) = await app.CreateUserClientAsync();
        var orderId = (await HoldAsync(buyer, ev, 1)).GetProperty("id").GetGuid();
        (await buyer.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).EnsureSuccessStatusCode();

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => JoinAsync(fan, ev, 1)));
        Assert.All(answers, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK));
        Assert.Equal(1, await QueryAsync(app, db => db.WaitlistEntries.CountAsync(e => e.CategoryId == ev.Categories[0].Id)));
        await (await JoinAsync(fan, ev, 0)).AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}

[Collection(SqliteCollection.Name)]
public sealed class WaitlistTests_Sqlite(SqliteApp app) : WaitlistTests(app);

[Collection(PostgresCollection.Name)]
public sealed class WaitlistTests_Postgres(PostgresApp app) : WaitlistTests(app);
