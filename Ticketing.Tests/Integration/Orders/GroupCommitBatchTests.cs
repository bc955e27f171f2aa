using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Accounts;
using Ticketing.Core.Orders;
using Ticketing.Core.Payments;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Orders;

/// <summary>
/// The group-committed batches run directly, with outcomes a flash sale produces only by chance: a batch that does not
/// fit entirely (first come, first served, exactly), and a batch of sales with one order that ended meanwhile (the
/// batch is re-run item by item and only that one is refused).
/// </summary>
public abstract class GroupCommitBatchTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AHoldBatchThatDoesNotFit_ServesFirstComeFirstServed_AndWritesOnlyTheServedOrders()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 3).WithCategory("Balcon", 5900, 5).SaveAsync();
        var (fosse, balcon) = (ev.Categories[0].Id, ev.Categories[1].Id);
        var (_, userId, _) = await app.CreateUserClientAsync();
        Order Make(params (Guid Category, int Quantity)[] lines) => NewOrder(ev, userId, lines);
        var batch = new[]
        {
            Make((fosse, 2)),              // served: 1 left in Fosse
            Make((fosse, 2)),              // refused: only 1 left
            Make((balcon, 1), (fosse, 1)), // served: Fosse is now sold out
            Make((fosse, 1)),              // refused: sold out
            Make((balcon, 2), (fosse, 1)), // refused as a whole: Balcon keeps its seats
        };

        var outcomes = await app.Services.GetRequiredService<HoldCommitter>().RunBatchAsync(Unlimited(batch));

        Assert.Equal([true, false, true, false, false], outcomes.Select(o => o.Held));
        Assert.Equal((fosse, 1), (outcomes[1].CategoryId, outcomes[1].Available));
        Assert.Equal((fosse, 0), (outcomes[3].CategoryId, outcomes[3].Available));
        Assert.Equal((fosse, 0), (outcomes[4].CategoryId, outcomes[4].Available));
        Assert.Equal((0, 3), Counters(await CategoryAsync(app, fosse)));
        Assert.Equal((0, 1), Counters(await CategoryAsync(app, balcon)));
        var written = await QueryAsync(app, db => db.Orders.Where(o => o.PerformanceId == ev.PerformanceId).Select(o => o.Id).ToListAsync());
        Assert.Equal(new[] { batch[0].Id, batch[2].Id }.Order(), written.Order());
        Assert.True(app.Services.GetRequiredService<SoldOutCache>().IsSoldOut(fosse));
    }

    [Fact]
    public async Task AHoldForACategoryRemovedMeanwhile_IsAnsweredSoldOut_AndTheOthersAreServed()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 10).SaveAsync();
        var fosse = ev.Categories[0].Id;
        var (_, userId, _) = await app.CreateUserClientAsync();
        // What a hold built from a remembered performance meets when its organizer removed an unsold category.
        var removed = Guid.CreateVersion7();
        var batch = new[] { NewOrder(ev, userId, (fosse, 2)), NewOrder(ev, userId, (removed, 1)), NewOrder(ev, userId, (fosse, 1)) };

        var outcomes = await app.Services.GetRequiredService<HoldCommitter>().RunBatchAsync(Unlimited(batch));

        Assert.Equal([true, false, true], outcomes.Select(o => o.Held));
        Assert.Equal((removed, 0), (outcomes[1].CategoryId, outcomes[1].Available));
        Assert.Equal((0, 3), Counters(await CategoryAsync(app, fosse)));
        var written = await QueryAsync(app, db => db.Orders.Where(o => o.PerformanceId == ev.PerformanceId).Select(o => o.Id).ToListAsync());
        Assert.Equal(new[] { batch[0].Id, batch[2].Id }.Order(), written.Order());
    }

    [Fact]
    public async Task AHoldBatchThatFits_TakesAllItsSeatsInOneTransaction()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 10).SaveAsync();
        var fosse = ev.Categories[0].Id;
        var (_, userId, _) = await app.CreateUserClientAsync();
        var batch = Enumerable.Range(0, 5).Select(_ => NewOrder(ev, userId, (fosse, 2))).ToArray();

        var outcomes = await app.Services.GetRequiredService<HoldCommitter>().RunBatchAsync(Unlimited(batch));

        Assert.All(outcomes, o => Assert.True(o.Held));
        Assert.Equal((0, 10), Counters(await CategoryAsync(app, fosse)));
        Assert.Equal(5, await QueryAsync(app, db => db.Orders.CountAsync(o => o.PerformanceId == ev.PerformanceId && o.Status == OrderStatus.Reserved)));
        Assert.True(app.Services.GetRequiredService<SoldOutCache>().IsSoldOut(fosse));
    }

    [Fact]
    public async Task ASaleBatchWithAnOrderThatEndedMeanwhile_IssuesTheOthers_AndRefusesOnlyThatOne()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 10).SaveAsync();
        var fosse = ev.Categories[0].Id;
        var committer = app.Services.GetRequiredService<PaymentCommitter>();
        var items = new List<IssueItem>();
        for (var i = 0; i < 3; i++)
        {
            var (client, userId, _) = await app.CreateUserClientAsync(displayName: $"Fan {i}");
            var orderId = (await HoldAsync(client, ev, 2)).GetProperty("id").GetGuid();
            var order = await QueryAsync(app, db => db.Orders.AsNoTracking().Include(o => o.Items).SingleAsync(o => o.Id == orderId));
            var payment = new Payment
            {
                Id = Guid.CreateVersion7(), OrderId = orderId, Provider = "simulated", Status = PaymentStatus.Pending,
                AmountMinor = order.TotalMinor, Currency = order.Currency, CardBrand = "visa", CardLast4 = "4242", CreatedAt = app.Clock.GetUtcNow(),
            };
            await committer.InsertPendingAsync(ev.PerformanceId, payment);
            var buyer = await QueryAsync(app, db => db.Users.AsNoTracking().SingleAsync(u => u.Id == userId));
            items.Add(new IssueItem(payment.Id, order, new ChargeResult(true, $"sim_ch_{i}", "visa", "4242", null), OrderStatus.Reserved, buyer, ev.TicketPrefix));
        }
        // The second hold ends while its card is being charged (the expiry: Reserved -> Expired, seats back).
        await QueryAsync(app, async db =>
        {
            await db.Orders.Where(o => o.Id == items[1].Order.Id).ExecuteUpdateAsync(s => s
                .SetProperty(o => o.Status, OrderStatus.Expired).SetProperty(o => o.Version, o => o.Version + 1));
            return await db.PriceCategories.Where(c => c.Id == fosse).ExecuteUpdateAsync(s => s.SetProperty(c => c.Held, c => c.Held - 2));
        });

        // The three sales queue behind a batch in progress, so they form ONE batch (as under load), run by the real batch.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = items[0] with { PaymentId = Guid.Empty };
        var batches = new List<int>();
        var sales = new Ticketing.Core.Common.GroupCommit<IssueItem, IssueResult>(async batch =>
        {
            if (batch[0] == blocker)
            {
                blocked.SetResult();
                await gate.Task;
                return [new IssueResult(IssueOutcome.AlreadySettled, null)];
            }
            lock (batches) batches.Add(batch.Count);
            return await committer.IssueBatchAsync(batch);
        }, maxBatch: 64, lanes: 1);
        var blocking = sales.RunAsync(Guid.Empty, blocker);
        await blocked.Task;
        var running = items.Select(i => sales.RunAsync(Guid.Empty, i)).ToList();
        gate.SetResult();
        await blocking;
        var results = await Task.WhenAll(running);

        // The batch of three could not be one transaction (an order had ended): each sale then ran alone.
        Assert.Equal([3, 1, 1, 1], batches);
        Assert.Equal([IssueOutcome.Issued, IssueOutcome.NotCompletable, IssueOutcome.Issued], results.Select(r => r.Outcome));
        Assert.Equal((4, 0), Counters(await CategoryAsync(app, fosse)));
        var tickets = await QueryAsync(app, db => db.Tickets.AsNoTracking().Where(t => t.PerformanceId == ev.PerformanceId).ToListAsync());
        Assert.Equal(4, tickets.Count);
        Assert.Equal(4, tickets.Select(t => t.Number).Distinct().Count());
        Assert.Equal(new[] { "Fan 0", "Fan 0", "Fan 2", "Fan 2" }, tickets.OrderBy(t => t.HolderName).Select(t => t.HolderName));
        Assert.Equal(tickets.Select(t => t.Number).Order(), results.Where(r => r.Tickets is not null).SelectMany(r => r.Tickets!).Select(t => t.Number).Order());
        var payments = await QueryAsync(app, db => db.Payments.AsNoTracking().ToDictionaryAsync(p => p.Id, p => p.Status));
        Assert.Equal(PaymentStatus.Approved, payments[items[0].PaymentId]);
        Assert.Equal(PaymentStatus.Pending, payments[items[1].PaymentId]); // left for the refund, nothing of it was written
        Assert.Equal(PaymentStatus.Approved, payments[items[2].PaymentId]);
        Assert.Equal(2, await QueryAsync(app, db => db.Notifications.CountAsync()));
        var orders = await QueryAsync(app, db => db.Orders.AsNoTracking().ToDictionaryAsync(o => o.Id, o => o.Status));
        Assert.Equal([OrderStatus.Paid, OrderStatus.Expired, OrderStatus.Paid], items.Select(i => orders[i.Order.Id]));
    }

    [Fact]
    public async Task ASecondRunOfTheSameSales_FindsThemSettled_AndWritesNothing()
    {
        var ev = await Event(app).WithCategory("Fosse", 3900, 10).SaveAsync();
        var (client, userId, _) = await app.CreateUserClientAsync();
        var orderId = (await HoldAsync(client, ev, 1)).GetProperty("id").GetGuid();
        var order = await QueryAsync(app, db => db.Orders.AsNoTracking().Include(o => o.Items).SingleAsync(o => o.Id == orderId));
        var committer = app.Services.GetRequiredService<PaymentCommitter>();
        var payment = new Payment { Id = Guid.CreateVersion7(), OrderId = orderId, Provider = "simulated", Status = PaymentStatus.Pending,
            AmountMinor = order.TotalMinor, Currency = order.Currency, CreatedAt = app.Clock.GetUtcNow() };
        await committer.InsertPendingAsync(ev.PerformanceId, payment);
        var item = new IssueItem(payment.Id, order, new ChargeResult(true, "sim_ch_x", "visa", "4242", null), OrderStatus.Reserved, null, ev.TicketPrefix);

        Assert.Equal(IssueOutcome.Issued, (await committer.IssueAsync(item)).Outcome);
        Assert.Equal(IssueOutcome.AlreadySettled, (await committer.IssueAsync(item)).Outcome);
        // In a batch, a settled payment asks for the item-by-item run (where it is answered as above), writing nothing.
        await Assert.ThrowsAsync<Ticketing.Core.Common.SplitBatchException>(() => committer.IssueBatchAsync([item, item]));
        Assert.Equal(1, await QueryAsync(app, db => db.Tickets.CountAsync()));
        Assert.Equal((1, 0), Counters(await CategoryAsync(app, ev.Categories[0].Id)));
    }

    private static List<HoldRequest> Unlimited(IEnumerable<Order> orders) => orders.Select(o => new HoldRequest(o, AccountCaps.None)).ToList();

    private static (int Sold, int Held) Counters(Ticketing.Core.Events.PriceCategory c) => (c.Sold, c.Held);

    private Order NewOrder(TestEvent ev, Guid userId, params (Guid Category, int Quantity)[] lines)
    {
        var now = app.Clock.GetUtcNow();
        var order = new Order
        {
            Id = Guid.CreateVersion7(), UserId = userId, EventId = ev.EventId, PerformanceId = ev.PerformanceId,
            Status = OrderStatus.Reserved, Currency = "EUR", CreatedAt = now, ExpiresAt = now.AddMinutes(10),
            Items = lines.Select(l => new OrderItem
            {
                Id = Guid.CreateVersion7(), CategoryId = l.Category, CategoryName = ev.Categories.SingleOrDefault(c => c.Id == l.Category)?.Name ?? "Removed",
                Quantity = l.Quantity, UnitPriceMinor = ev.Categories.SingleOrDefault(c => c.Id == l.Category)?.PriceMinor ?? 1000,
            }).OrderBy(i => i.CategoryId).ToList(),
        };
        order.TotalMinor = order.Items.Sum(i => i.UnitPriceMinor * i.Quantity);
        return order;
    }
}

[Collection(SqliteCollection.Name)]
public sealed class SqliteGroupCommitBatchTests(SqliteApp app) : GroupCommitBatchTests(app);

[Collection(PostgresCollection.Name)]
public sealed class PostgresGroupCommitBatchTests(PostgresApp app) : GroupCommitBatchTests(app);
