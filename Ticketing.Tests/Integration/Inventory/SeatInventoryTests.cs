using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Accounts;
using Ticketing.Core.Events;
using Ticketing.Core.Orders;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Inventory;

/// <summary>
/// The seat counters have one writer (<see cref="Ticketing.Core.Inventory.SeatInventory"/>): every path that gives seats
/// back moves its categories in id order (parallel refunds and cancellations across several categories never deadlock
/// and end with exact counts) and makes the sold-out memory forget them (a returned seat is bookable at once).
/// </summary>
public abstract class SeatInventoryTests(TicketingApp app) : IAsyncLifetime
{
    private const int Buyers = 6;

    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>One line per category, the lines in a different order for each buyer (rotated, every other one reversed).</summary>
    private static object Lines(TestEvent ev, int buyer)
    {
        var cats = ev.Categories.Select(c => c.Id).ToList();
        var rotated = cats.Skip(buyer % cats.Count).Concat(cats.Take(buyer % cats.Count)).ToList();
        if (buyer % 2 == 1) rotated.Reverse();
        return new { performanceId = ev.PerformanceId, items = rotated.Select(id => new { categoryId = id, quantity = 1 }).ToArray() };
    }

    private async Task<(TestEvent Event, HttpClient Owner, List<Guid> Paid, List<(HttpClient Buyer, Guid OrderId)> Held)> SaleAsync()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId)
            .WithCategory("Fosse", 4500, 40).WithCategory("Balcon", 3000, 40).WithCategory("Loge", 9000, 40).SaveAsync();
        var paid = new List<Guid>();
        var held = new List<(HttpClient, Guid)>();
        for (var b = 0; b < 2 * Buyers; b++)
        {
            var (buyer, _, _) = await app.CreateUserClientAsync();
            var order = await (await buyer.PostAsJsonAsync("/api/orders", Lines(ev, b))).ReadJsonAsync(HttpStatusCode.Created);
            var orderId = order.GetProperty("id").GetGuid();
            if (b % 2 == 0)
            {
                (await buyer.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).EnsureSuccessStatusCode();
                paid.Add(orderId);
            }
            else held.Add((buyer, orderId));
        }
        return (ev, owner, paid, held);
    }

    [Fact]
    public async Task ParallelRefundsAndHoldReleases_AcrossSeveralCategories_DoNotDeadlock_AndEndWithExactCounts()
    {
        var (ev, owner, paid, held) = await SaleAsync();
        var admin = await app.AdminClientAsync();
        foreach (var c in ev.Categories)
            Assert.Equal((Buyers, Buyers), ((await CategoryAsync(app, c.Id)).Sold, (await CategoryAsync(app, c.Id)).Held));

        var refunds = paid.Select((id, i) => (i % 2 == 0 ? owner : admin).PostAsync($"/api/orders/{id}/refund", null));
        var releases = held.Select(h => h.Buyer.DeleteAsync($"/api/orders/{h.OrderId}"));
        var answers = await Task.WhenAll(refunds.Concat(releases));

        foreach (var answer in answers) Assert.True(answer.IsSuccessStatusCode, $"{answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
        foreach (var c in ev.Categories)
        {
            var category = await CategoryAsync(app, c.Id);
            Assert.Equal((0, 0, 40), (category.Sold, category.Held, category.Capacity));
        }
        var statuses = await QueryAsync(app, db => db.Orders.Where(o => o.EventId == ev.EventId).Select(o => o.Status).ToListAsync());
        Assert.Equal(Buyers, statuses.Count(s => s == OrderStatus.Refunded));
        Assert.Equal(Buyers, statuses.Count(s => s == OrderStatus.Cancelled));
    }

    [Fact]
    public async Task ParallelEventCancellations_AndRefundPasses_AcrossSeveralCategories_DoNotDeadlock_AndEndWithExactCounts()
    {
        var (ev, owner, _, _) = await SaleAsync();
        var admin = await app.AdminClientAsync();

        var cancels = await Task.WhenAll(owner.PostAsync($"/api/events/{ev.EventId}/cancel", null), admin.PostAsync($"/api/events/{ev.EventId}/cancel", null));
        foreach (var answer in cancels) answer.EnsureSuccessStatusCode();
        var passes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            WithServiceAsync<EventCancellationService, int>(app, s => s.RefundNextBatchAsync(10))));

        Assert.Equal(Buyers, passes.Sum());
        foreach (var c in ev.Categories)
        {
            var category = await CategoryAsync(app, c.Id);
            Assert.Equal((0, 0), (category.Sold, category.Held));
        }
        var statuses = await QueryAsync(app, db => db.Orders.Where(o => o.EventId == ev.EventId).Select(o => o.Status).ToListAsync());
        Assert.Equal(Buyers, statuses.Count(s => s == OrderStatus.Refunded));
        Assert.Equal(Buyers, statuses.Count(s => s == OrderStatus.Cancelled));
    }

    [Fact]
    public async Task ARefundedSeatOfASoldOutCategory_IsBookableAtOnce()
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Dernière place", 4500, 1).SaveAsync();
        var (first, _, _) = await app.CreateUserClientAsync();
        var (second, _, _) = await app.CreateUserClientAsync();
        var orderId = (await HoldAsync(first, ev, 1)).GetProperty("id").GetGuid();
        (await first.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).EnsureSuccessStatusCode();
        // The loser is answered sold_out, and the category is remembered sold out.
        await (await second.PostAsJsonAsync("/api/orders", Hold(ev, 1))).AssertProblemAsync(HttpStatusCode.Conflict, "sold_out");
        await (await second.PostAsJsonAsync("/api/orders", Hold(ev, 1))).AssertProblemAsync(HttpStatusCode.Conflict, "sold_out");

        var soldOut = app.Services.GetRequiredService<SoldOutCache>();
        soldOut.MarkSoldOut(ev.Categories[0].Id); // remembered afresh: the memory would outlive the refund by its whole lifetime

        (await owner.PostAsync($"/api/orders/{orderId}/refund", null)).EnsureSuccessStatusCode();

        // At once: the refund made the memory forget the category, no waiting for it to expire.
        Assert.False(soldOut.IsSoldOut(ev.Categories[0].Id));
        await HoldAsync(second, ev, 1);
        Assert.Equal((0, 1), ((await CategoryAsync(app, ev.Categories[0].Id)).Sold, (await CategoryAsync(app, ev.Categories[0].Id)).Held));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteSeatInventoryTests(SqliteApp app) : SeatInventoryTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresSeatInventoryTests(PostgresApp app) : SeatInventoryTests(app);
