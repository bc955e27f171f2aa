using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Ticketing.Core.Accounts;
using Ticketing.Core.Orders;
using Ticketing.Core.Payments;
using Ticketing.Core.Receipts;
using Ticketing.Core.Tickets;
using Ticketing.Tests.Infrastructure;
using Ticketing.Web.Features.Orders;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Receipts;

/// <summary>
/// A refund cut short by a crash after its claim (tickets voided, maybe money given back at the gateway) but before its
/// settlement (seats still sold, no credit note, order still Paid) is finished by <see cref="RefundRepairJob"/>: once,
/// even with two repairs at the same moment, and without giving the money back twice.
/// </summary>
public abstract class RefundRepairTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private int Year => app.Clock.GetUtcNow().UtcDateTime.Year;

    /// <summary>A paid order of 3 tickets at 45.00 + 1.50 booking fee each (139.50).</summary>
    private async Task<(TestEvent Event, Guid OrderId, List<Guid> Tickets)> PaidOrderAsync()
    {
        var (_, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 4500, 10).SaveAsync();
        await QueryAsync(app, db => db.Events.Where(e => e.Id == ev.EventId).ExecuteUpdateAsync(s => s.SetProperty(e => e.BookingFeeMinor, 150)));
        var (buyer, _, _) = await app.CreateUserClientAsync();
        var orderId = (await HoldAsync(buyer, ev, 3)).GetProperty("id").GetGuid();
        var paid = await (await buyer.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).ReadJsonAsync();
        return (ev, orderId, paid.GetProperty("tickets").EnumerateArray().Select(t => t.GetProperty("id").GetGuid()).ToList());
    }

    /// <summary>What the crash left: the claim's transaction committed (tickets Voided at <paramref name="at"/>), nothing after.</summary>
    private Task ClaimAsync(IReadOnlyList<Guid> ticketIds, DateTimeOffset at) =>
        QueryAsync(app, db => db.Tickets.Where(t => ticketIds.Contains(t.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TicketStatus.Voided).SetProperty(t => t.VoidedAt, at)));

    private async Task<int> RunJobAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<RefundService>().RepairUnsettledAsync();
    }

    private async Task RunQuartzJobAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await ActivatorUtilities.CreateInstance<RefundRepairJob>(scope.ServiceProvider).Execute(null!, CancellationToken.None);
    }

    private async Task<(long Part, bool Whole)> GatewayAsync(Guid orderId)
    {
        var charge = await QueryAsync(app, db => db.SimulatedCharges.AsNoTracking().SingleAsync(c => c.OrderId == orderId && c.Approved));
        return (charge.RefundedMinor, charge.Refunded);
    }

    [Fact]
    public async Task APartialRefund_WhoseGatewayCallSucceeded_IsSettledOnce_WithoutRefundingAgain_EvenByTwoRepairsAtOnce()
    {
        var (ev, orderId, tickets) = await PaidOrderAsync();
        await ClaimAsync([tickets[1]], app.Clock.GetUtcNow() - TimeSpan.FromMinutes(10));
        // The gateway gave 46.50 back, then the process died.
        var reference = await QueryAsync(app, db => db.Payments.Where(p => p.OrderId == orderId).Select(p => p.GatewayReference).SingleAsync());
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.True((await scope.ServiceProvider.GetRequiredService<IPaymentGateway>()
                .RefundPartAsync(orderId, reference!, 4650, "EUR", "crash", CancellationToken.None)).Succeeded);
        Assert.Equal(3, (await CategoryAsync(app, ev.Categories[0].Id)).Sold);

        var repaired = await Task.WhenAll(RunJobAsync(), RunJobAsync());

        Assert.Equal(1, repaired.Sum());
        Assert.Equal((4650L, false), await GatewayAsync(orderId));
        Assert.Equal(2, (await CategoryAsync(app, ev.Categories[0].Id)).Sold);
        var notes = await QueryAsync(app, db => db.Receipts.AsNoTracking().Where(r => r.Kind == ReceiptKind.CreditNote).ToListAsync());
        var note = Assert.Single(notes);
        Assert.Equal(4650, note.TotalMinor);
        Assert.Equal($"C-{Year}-000001", note.Number);
        Assert.Equal($"R-{Year}-000001", note.CorrectsNumber);
        var order = await QueryAsync(app, db => db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId));
        Assert.Equal(OrderStatus.PartiallyRefunded, order.Status);
        Assert.Equal([TicketStatus.Valid, TicketStatus.Voided, TicketStatus.Valid],
            await QueryAsync(app, db => db.Tickets.AsNoTracking().Where(t => t.OrderId == orderId).OrderBy(t => t.Sequence).Select(t => t.Status).ToListAsync()));

        // Settled: the next runs find nothing.
        Assert.Equal(0, await RunJobAsync());
        Assert.Single(await QueryAsync(app, db => db.Receipts.AsNoTracking().Where(r => r.Kind == ReceiptKind.CreditNote).ToListAsync()));
    }

    [Fact]
    public async Task AWholeRefund_CutBeforeTheGateway_IsSentAndSettledByTheJob_AndAFreshClaimIsLeftToItsRefund()
    {
        var (ev, orderId, tickets) = await PaidOrderAsync();
        // A claim of a moment ago may be a refund still running: left alone.
        await ClaimAsync(tickets, app.Clock.GetUtcNow());
        Assert.Equal(0, await RunJobAsync());
        Assert.Equal((0L, false), await GatewayAsync(orderId));

        await ClaimAsync(tickets, app.Clock.GetUtcNow() - RefundService.RepairAge - TimeSpan.FromSeconds(1));
        await RunQuartzJobAsync();

        Assert.Equal((0L, true), await GatewayAsync(orderId));
        Assert.Equal(0, (await CategoryAsync(app, ev.Categories[0].Id)).Sold);
        var note = Assert.Single(await QueryAsync(app, db => db.Receipts.AsNoTracking().Where(r => r.Kind == ReceiptKind.CreditNote).ToListAsync()));
        Assert.Equal(13950, note.TotalMinor);
        Assert.Equal(OrderStatus.Refunded, (await QueryAsync(app, db => db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId))).Status);
        var payment = await QueryAsync(app, db => db.Payments.AsNoTracking().SingleAsync(p => p.OrderId == orderId));
        Assert.Equal(PaymentStatus.Refunded, payment.Status);
        Assert.NotNull(payment.RefundReference);
        Assert.Equal(0, await RunJobAsync());
    }
}

[Collection(SqliteCollection.Name)]
public sealed class RefundRepairTests_Sqlite(SqliteApp app) : RefundRepairTests(app);

[Collection(PostgresCollection.Name)]
public sealed class RefundRepairTests_Postgres(PostgresApp app) : RefundRepairTests(app);
