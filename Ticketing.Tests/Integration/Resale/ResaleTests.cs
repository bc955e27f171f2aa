using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Notifications;
using Ticketing.Core.Orders;
using Ticketing.Core.Receipts;
using Ticketing.Core.Resale;
using Ticketing.Core.Tickets;
using Ticketing.Tests.Infrastructure;
using static Ticketing.Tests.Infrastructure.PurchaseTestData;

namespace Ticketing.Tests.Integration.Resale;

/// <summary>Face-value resale: listed at most at the price paid, bought through the normal checkout, re-issued and refunded exactly once.</summary>
public abstract class ResaleTests(TicketingApp app) : IAsyncLifetime
{
    public Task InitializeAsync() => app.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(TestEvent Event, HttpClient Owner, HttpClient Seller, Guid SellerOrderId, Guid TicketId, string Code)> PaidTicketAsync(bool resale = true)
    {
        var (owner, ownerId, _) = await app.CreateUserClientAsync(Roles.Organizer);
        var ev = await Event(app).OwnedBy(ownerId).WithCategory("Fosse", 4500, 10).SaveAsync();
        if (resale)
        {
            var on = await (await owner.PutAsJsonAsync($"/api/events/{ev.EventId}/resale", new { enabled = true })).ReadJsonAsync();
            Assert.True(on.GetProperty("enabled").GetBoolean());
        }
        var (seller, _, _) = await app.CreateUserClientAsync();
        var orderId = (await HoldAsync(seller, ev, 1)).GetProperty("id").GetGuid();
        var paid = await (await seller.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).ReadJsonAsync();
        var ticketId = paid.GetProperty("tickets")[0].GetProperty("id").GetGuid();
        var code = (await (await seller.GetAsync($"/api/tickets/{ticketId}")).ReadJsonAsync()).GetProperty("code").GetString()!;
        return (ev, owner, seller, orderId, ticketId, code);
    }

    private static async Task<Guid> ListAsync(HttpClient seller, Guid ticketId, decimal price) =>
        (await (await seller.PostAsJsonAsync($"/api/tickets/{ticketId}/resale", new { price })).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();

    private static async Task<string> ScanAsync(HttpClient owner, string code) =>
        (await (await owner.PostAsJsonAsync("/api/checkin", new { code })).ReadJsonAsync()).GetProperty("result").GetString()!;

    [Fact]
    public async Task TwentyParallelBuyersOfOneListing_OnePays_TheOldCodeIsVoidedOnce_OneNewTicket_TheSellerIsRefundedOnce()
    {
        var (ev, owner, seller, sellerOrderId, ticketId, oldCode) = await PaidTicketAsync();
        var listingId = await ListAsync(seller, ticketId, 40.00m);
        var offers = await (await app.CreateClient().GetAsync($"/api/performances/{ev.PerformanceId}/resale-listings")).ReadJsonAsync();
        Assert.Equal(40.00m, offers.EnumerateArray().Single().GetProperty("price").GetDecimal());
        var buyers = new List<HttpClient>();
        for (var i = 0; i < 20; i++) buyers.Add((await app.CreateUserClientAsync()).Client);

        var outcomes = await Task.WhenAll(buyers.Select(async buyer =>
        {
            var held = await buyer.PostAsync($"/api/resale-listings/{listingId}/order", null);
            if (held.StatusCode != HttpStatusCode.Created)
            {
                await held.AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.ResaleListingUnavailable);
                return (Paid: false, Order: Guid.Empty, Tickets: (System.Text.Json.JsonElement?)null);
            }
            var order = await held.ReadJsonAsync(HttpStatusCode.Created);
            Assert.Equal(40.00m, order.GetProperty("total").GetDecimal());
            var paid = await buyer.PostAsJsonAsync($"/api/orders/{order.GetProperty("id").GetGuid()}/payment", Card());
            return (Paid: paid.StatusCode == HttpStatusCode.OK, Order: order.GetProperty("id").GetGuid(), Tickets: (System.Text.Json.JsonElement?)(await paid.ReadJsonAsync()).GetProperty("tickets"));
        }));

        var winner = Assert.Single(outcomes, o => o.Paid);
        var newTicketId = winner.Tickets!.Value[0].GetProperty("id").GetGuid();
        Assert.Equal("Voided", await ScanAsync(owner, oldCode));
        var state = await QueryAsync(app, async db => new
        {
            Listing = await db.ResaleListings.AsNoTracking().SingleAsync(l => l.Id == listingId),
            Old = await db.Tickets.AsNoTracking().SingleAsync(t => t.Id == ticketId),
            Reissued = await db.Tickets.AsNoTracking().Where(t => t.TransferredFromId == ticketId).ToListAsync(),
            Valid = await db.Tickets.CountAsync(t => t.EventId == ev.EventId && t.Status == TicketStatus.Valid),
            CreditNotes = await db.Receipts.AsNoTracking().Where(r => r.OrderId == sellerOrderId && r.Kind == ReceiptKind.CreditNote).ToListAsync(),
            SellerOrder = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == sellerOrderId),
            PaidOrders = await db.Orders.CountAsync(o => o.ResaleListingId == listingId && o.Status == OrderStatus.Paid),
            BuyerMail = await db.Notifications.CountAsync(n => n.OrderId == winner.Order && n.Kind == NotificationKind.OrderConfirmed),
            SellerMail = await db.Notifications.CountAsync(n => n.OrderId == sellerOrderId && n.Kind == NotificationKind.OrderRefunded),
        });
        Assert.Equal(ResaleListingStatus.Sold, state.Listing.Status);
        Assert.NotNull(state.Listing.SellerRefundedAt);
        Assert.Equal((TicketStatus.Voided, newTicketId), (state.Old.Status, state.Old.TransferredToId));
        var reissued = Assert.Single(state.Reissued);
        Assert.Equal((newTicketId, winner.Order, 4000L), (reissued.Id, reissued.OrderId, reissued.PriceMinor));
        Assert.NotEqual(state.Old.Number, reissued.Number);
        Assert.Equal(1, state.Valid);
        Assert.Equal(4000L, Assert.Single(state.CreditNotes).TotalMinor);
        Assert.Equal(OrderStatus.Refunded, state.SellerOrder.Status);
        Assert.Equal((1, 1, 1), (state.PaidOrders, state.BuyerMail, state.SellerMail));
        // The seat stays sold once: no counter moved.
        var category = await CategoryAsync(app, ev.Categories[0].Id);
        Assert.Equal((1, 0), (category.Sold, category.Held));

        // The repairs find nothing to do, later: the seller is not refunded twice, the replaced ticket is not a refund claim.
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, await WithServiceAsync<ResaleSettlement, int>(app, s => s.RepairAsync()));
        Assert.Equal(0, await WithServiceAsync<RefundService, int>(app, s => s.RepairUnsettledAsync()));
        Assert.Equal(1, await QueryAsync(app, db => db.Receipts.CountAsync(r => r.OrderId == sellerOrderId && r.Kind == ReceiptKind.CreditNote)));
        Assert.Equal((1, 0), ((await CategoryAsync(app, ev.Categories[0].Id)).Sold, (await CategoryAsync(app, ev.Categories[0].Id)).Held));
    }

    [Fact]
    public async Task AListingAboveFaceValue_IsRefused_AtFaceValueItIsTaken_AndTheSellerCanWithdrawIt()
    {
        var (_, _, seller, _, ticketId, _) = await PaidTicketAsync();
        var problem = await (await seller.PostAsJsonAsync($"/api/tickets/{ticketId}/resale", new { price = 45.01m }))
            .AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.ResaleAboveFaceValue);
        Assert.Equal(45.00m, problem.GetProperty("faceValue").GetDecimal());
        await (await seller.PostAsJsonAsync($"/api/tickets/{ticketId}/resale", new { price = -1m })).AssertProblemAsync(HttpStatusCode.BadRequest);
        var listingId = await ListAsync(seller, ticketId, 45.00m);
        // Listed once at a time.
        await (await seller.PostAsJsonAsync($"/api/tickets/{ticketId}/resale", new { price = 10m }))
            .AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.ResaleListingUnavailable);
        // Nobody else withdraws it; the seller does, and it can be listed again.
        var (stranger, _, _) = await app.CreateUserClientAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.DeleteAsync($"/api/resale-listings/{listingId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await seller.DeleteAsync($"/api/resale-listings/{listingId}")).StatusCode);
        await (await stranger.PostAsync($"/api/resale-listings/{listingId}/order", null)).AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.ResaleListingUnavailable);
        await ListAsync(seller, ticketId, 30m);
        var mine = await (await seller.GetAsync("/api/resale-listings")).ReadJsonAsync();
        Assert.Equal(["Active", "Withdrawn"], mine.EnumerateArray().Select(l => l.GetProperty("status").GetString()!).Order().ToArray());
    }

    [Fact]
    public async Task UsedVoidedAndRefundedTickets_CannotBeListed()
    {
        var (_, owner, seller, _, ticketId, code) = await PaidTicketAsync();
        Assert.Equal("Admitted", await ScanAsync(owner, code));
        await (await seller.PostAsJsonAsync($"/api/tickets/{ticketId}/resale", new { price = 10m })).AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.TicketUsed);

        var (_, _, transferrer, _, transferred, _) = await PaidTicketAsync();
        (await transferrer.PostAsJsonAsync($"/api/tickets/{transferred}/transfer", new { email = "friend@example.com" })).EnsureSuccessStatusCode();
        await (await transferrer.PostAsJsonAsync($"/api/tickets/{transferred}/resale", new { price = 10m })).AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.TicketVoided);

        var (_, refunder, refunded, refundedOrderId, refundedTicket, _) = await PaidTicketAsync();
        (await refunder.PostAsync($"/api/orders/{refundedOrderId}/refund", null)).EnsureSuccessStatusCode();
        await (await refunded.PostAsJsonAsync($"/api/tickets/{refundedTicket}/resale", new { price = 10m })).AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.TicketVoided);
    }

    [Fact]
    public async Task ResaleTurnedOff_RefusesListingsAndPurchases()
    {
        var (ev, owner, seller, _, ticketId, _) = await PaidTicketAsync(resale: false);
        Assert.False((await (await owner.GetAsync($"/api/events/{ev.EventId}/resale")).ReadJsonAsync()).GetProperty("enabled").GetBoolean());
        await (await seller.PostAsJsonAsync($"/api/tickets/{ticketId}/resale", new { price = 10m })).AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.ResaleDisabled);

        (await owner.PutAsJsonAsync($"/api/events/{ev.EventId}/resale", new { enabled = true })).EnsureSuccessStatusCode();
        var listingId = await ListAsync(seller, ticketId, 20m);
        (await owner.PutAsJsonAsync($"/api/events/{ev.EventId}/resale", new { enabled = false })).EnsureSuccessStatusCode();
        var (buyer, _, _) = await app.CreateUserClientAsync();
        await (await buyer.PostAsync($"/api/resale-listings/{listingId}/order", null)).AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.ResaleDisabled);
        Assert.Empty((await (await buyer.GetAsync($"/api/performances/{ev.PerformanceId}/resale-listings")).ReadJsonAsync()).EnumerateArray());
        // Only the owner (or an Admin) switches it.
        Assert.Equal(HttpStatusCode.Forbidden, (await buyer.PutAsJsonAsync($"/api/events/{ev.EventId}/resale", new { enabled = true })).StatusCode);
    }

    [Fact]
    public async Task AnUnpaidListingHoldThatExpires_PutsTheListingBackOnSale_WithoutMovingSeats()
    {
        var (ev, _, seller, _, ticketId, _) = await PaidTicketAsync();
        var listingId = await ListAsync(seller, ticketId, 45m);
        var (first, _, _) = await app.CreateUserClientAsync();
        var orderId = (await (await first.PostAsync($"/api/resale-listings/{listingId}/order", null)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await (await seller.DeleteAsync($"/api/resale-listings/{listingId}")).AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.ResaleListingUnavailable);

        app.Clock.Advance(TimeSpan.FromMinutes(11));
        await WithServiceAsync<OrderService, int>(app, s => s.ExpireHoldsAsync(app.Clock.GetUtcNow()));
        Assert.Equal(ResaleListingStatus.Active, await QueryAsync(app, db => db.ResaleListings.Where(l => l.Id == listingId).Select(l => l.Status).SingleAsync()));
        Assert.Equal((1, 0), ((await CategoryAsync(app, ev.Categories[0].Id)).Sold, (await CategoryAsync(app, ev.Categories[0].Id)).Held));
        // Too late for the first buyer; a second one buys it.
        await (await first.PostAsJsonAsync($"/api/orders/{orderId}/payment", Card())).AssertProblemAsync(HttpStatusCode.Conflict, ErrorCodes.HoldExpired);
        var (second, _, _) = await app.CreateUserClientAsync();
        var secondOrder = (await (await second.PostAsync($"/api/resale-listings/{listingId}/order", null)).ReadJsonAsync(HttpStatusCode.Created)).GetProperty("id").GetGuid();
        (await second.PostAsJsonAsync($"/api/orders/{secondOrder}/payment", Card())).EnsureSuccessStatusCode();
        Assert.Equal(ResaleListingStatus.Sold, await QueryAsync(app, db => db.ResaleListings.Where(l => l.Id == listingId).Select(l => l.Status).SingleAsync()));
    }
}

[Collection(SqliteCollection.Name)]
public sealed class ResaleTests_Sqlite(SqliteApp app) : ResaleTests(app);

[Collection(PostgresCollection.Name)]
public sealed class ResaleTests_Postgres(PostgresApp app) : ResaleTests(app);
