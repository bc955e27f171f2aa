using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Accounts;
using Ticketing.Core.Notifications;
using Ticketing.Core.Persistence;
using Ticketing.Core.Waitlist;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Waitlist;

public sealed class WaitlistOnReturnSqliteApp : TicketingApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;
    protected override IDictionary<string, string?> ExtraSettings => WaitlistOnReturnTests.Settings;
}

public sealed class WaitlistOnReturnPostgresApp : TicketingApp
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;
    protected override IDictionary<string, string?> ExtraSettings => WaitlistOnReturnTests.Settings;
}

/// <summary>
/// Issue 24 leftover: seats that come back are offered to the waiting line at once (the nudge of
/// <see cref="WaitlistNudge"/>), not at the next run of the 15-second job — which does not run here at all (Jobs:Enabled
/// false): nothing but the nudge can make these offers.
/// </summary>
public abstract class WaitlistOnReturnTests(TicketingApp app) : IAsyncLifetime
{
    public static readonly Dictionary<string, string?> Settings = new() { ["Waitlist:OfferOnReturn"] = "true", ["Waitlist:OfferDelayMilliseconds"] = "200" };

    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private static Task<HttpResponseMessage> JoinAsync(HttpClient fan, TestEvent ev, int quantity) =>
        fan.PostAsJsonAsync($"/api/performances/{ev.PerformanceId}/waitlist", new { categoryId = ev.Categories[0].Id, quantity });

    private async Task<(WaitlistEntry Entry, TimeSpan After)> OfferedAsync(Guid entryId)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            var entry = await QueryAsync(app, db => db.WaitlistEntries.AsNoTracking().SingleAsync(e => e.Id == entryId));
            if (entry.Status != WaitlistStatus.Waiting) return (entry, clock.Elapsed);
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"entry {entryId} still waiting after 10 s");
    }

    [Fact]
    public async Task AReleasedHold_AndARefundedTicket_AreOfferedToTheLineWithinSeconds_WithoutTheJob()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 3000, 3).SaveAsync();
        var (buyer, _, _) = await app.CreateUserClientAsync();
        var paidId = (await HoldAsync(buyer, ev, 2)).GetProperty("id").GetGuid();
        var paid = await (await buyer.PostAsJsonAsync($"/api/orders/{paidId}/payment", Card())).ReadJsonAsync();
        var (holder, _, _) = await app.CreateUserClientAsync();
        var heldId = (await HoldAsync(holder, ev, 1)).GetProperty("id").GetGuid();

        var (first, _, _) = await app.CreateUserClientAsync();
        var (second, _, _) = await app.CreateUserClientAsync();
        var a = (await (await JoinAsync(first, ev, 1)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        var b = (await (await JoinAsync(second, ev, 1)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

        // A fan lets a hold go: the first in line is offered it, with its mail in the outbox.
        (await holder.DeleteAsync($"/api/orders/{heldId}")).EnsureSuccessStatusCode();
        var (offer, after) = await OfferedAsync(a);
        Assert.Equal(WaitlistStatus.Offered, offer.Status);
        Assert.True(after < TimeSpan.FromSeconds(5), $"offered after {after}");
        Assert.Equal(1, await QueryAsync(app, db => db.Notifications.CountAsync(n => n.OrderId == offer.OfferOrderId && n.Kind == NotificationKind.WaitlistOffer)));
        Assert.Equal(WaitlistStatus.Waiting, (await QueryAsync(app, db => db.WaitlistEntries.AsNoTracking().SingleAsync(e => e.Id == b))).Status);

        // The organizer refunds a ticket: the next in line.
        var ticket = paid.GetProperty("tickets")[0].GetProperty("id").GetGuid();
        (await owner.PostAsJsonAsync($"/api/orders/{paidId}/refund", new { ticketIds = new[] { ticket } })).EnsureSuccessStatusCode();
        var (next, _) = await OfferedAsync(b);
        Assert.Equal(WaitlistStatus.Offered, next.Status);
        var category = await CategoryAsync(app, ev.Categories[0].Id);
        Assert.Equal((1, 2, 0), (category.Sold, category.Held, category.WaitlistSeats));
    }
}

public sealed class SqliteWaitlistOnReturnTests(WaitlistOnReturnSqliteApp app) : WaitlistOnReturnTests(app), IClassFixture<WaitlistOnReturnSqliteApp>;

public sealed class PostgresWaitlistOnReturnTests(WaitlistOnReturnPostgresApp app) : WaitlistOnReturnTests(app), IClassFixture<WaitlistOnReturnPostgresApp>;
