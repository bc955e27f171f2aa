using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Ticketing.Core.Notifications;
using Ticketing.Core.Orders;
using Ticketing.Core.Payments;
using Ticketing.Core.Persistence;
using Ticketing.Core.Receipts;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Resale;

/// <summary>
/// The seller of a sold listing is refunded its listed price, exactly once, through the gateway that took their money:
/// <list type="number">
/// <item>the claim: <see cref="ResaleListing.SellerRefundClaimedAt"/> set by a conditional UPDATE (one caller refunds);</item>
/// <item>the gateway: a partial refund of the seller's order, idempotent per listing (<c>resale-{listingId}</c>);</item>
/// <item>the settlement (one transaction): <see cref="ResaleListing.SellerRefundedAt"/> set only if still unset and
/// claimed at that time, a credit note on the seller's order, the order PartiallyRefunded or Refunded
/// (<see cref="OrderTransitions"/>), the seller's refund mail in the outbox. No seat moves: the buyer holds it now.</item>
/// </list>
/// A crash or a gateway failure leaves the claim unsettled: <see cref="RepairAsync"/> takes it again after
/// <see cref="RepairAge"/>, with the same idempotency key, so the money is never given twice.
/// </summary>
public sealed class ResaleSettlement(
    IDbContextFactory<TicketingDbContext> dbFactory,
    IPaymentGateway gateway,
    TimeProvider clock,
    ILogger<ResaleSettlement> logger)
{
    public static readonly TimeSpan RepairAge = TimeSpan.FromMinutes(2);

    /// <summary>Refunds the seller of a just-sold listing; false when another caller has it or it failed (the repair retries).</summary>
    public async Task<bool> RefundSellerAsync(Guid listingId, CancellationToken ct = default)
    {
        try
        {
            var now = clock.GetUtcNow();
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var claimed = await db.ResaleListings.Where(l => l.Id == listingId && l.Status == ResaleListingStatus.Sold && l.SellerRefundClaimedAt == null)
                .ExecuteUpdateAsync(s => s.SetProperty(l => l.SellerRefundClaimedAt, now), ct);
            return claimed == 1 && await SettleAsync(listingId, now, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Refund of the seller of resale listing {ListingId} failed; the repair retries", listingId);
            return false;
        }
    }

    /// <summary>Settles the sellers' refunds left unclaimed or half-way for longer than <see cref="RepairAge"/>.</summary>
    public async Task<int> RepairAsync(CancellationToken ct = default)
    {
        var cutoff = clock.GetUtcNow() - RepairAge;
        List<(Guid Id, DateTimeOffset? ClaimedAt)> due;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
            due = (await db.ResaleListings.AsNoTracking()
                    .Where(l => l.Status == ResaleListingStatus.Sold && l.SellerRefundedAt == null && l.SoldAt <= cutoff
                                && (l.SellerRefundClaimedAt == null || l.SellerRefundClaimedAt <= cutoff))
                    .OrderBy(l => l.SoldAt).Take(100).Select(l => new { l.Id, l.SellerRefundClaimedAt }).ToListAsync(ct))
                .Select(l => (l.Id, l.SellerRefundClaimedAt)).ToList();
        var repaired = 0;
        foreach (var (id, claimedAt) in due)
        {
            try
            {
                var now = clock.GetUtcNow();
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                var taken = await db.ResaleListings.Where(l => l.Id == id && l.SellerRefundedAt == null && l.SellerRefundClaimedAt == claimedAt)
                    .ExecuteUpdateAsync(s => s.SetProperty(l => l.SellerRefundClaimedAt, now), ct);
                if (taken == 1 && await SettleAsync(id, now, ct)) repaired++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Repair of the refund of the seller of resale listing {ListingId} failed; retried on the next run", id);
            }
        }
        if (repaired > 0) logger.LogWarning("Settled {Count} resale seller refund(s) left half-way", repaired);
        return repaired;
    }

    private async Task<bool> SettleAsync(Guid listingId, DateTimeOffset claimedAt, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var listing = await db.ResaleListings.AsNoTracking().FirstAsync(l => l.Id == listingId, ct);
        var order = await db.Orders.AsNoTracking().Include(o => o.Items).FirstAsync(o => o.Id == listing.SellerOrderId, ct);
        var payment = await db.Payments.Where(p => p.OrderId == order.Id && p.Status == PaymentStatus.Approved)
            .OrderByDescending(p => p.CreatedAt).FirstOrDefaultAsync(ct);
        var amount = listing.PriceMinor;
        if (payment is not null && amount > 0 && payment.Provider == gateway.Name)
        {
            var refund = await gateway.RefundPartAsync(order.Id, payment.GatewayReference ?? "", amount, payment.Currency, $"resale-{listing.Id:N}", ct);
            if (!refund.Succeeded)
            {
                logger.LogError("Refund of the seller of resale listing {ListingId} (order {OrderId}) refused by the gateway: {Error}; the repair retries",
                    listingId, order.Id, refund.Error);
                return false;
            }
            payment.RefundReference = refund.GatewayReference;
        }

        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var settled = await db.ResaleListings.Where(l => l.Id == listingId && l.SellerRefundedAt == null && l.SellerRefundClaimedAt == claimedAt)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.SellerRefundedAt, now), ct);
        if (settled == 0)
        {
            await tx.RollbackAsync(ct);
            return false;
        }
        string? creditNote = null;
        if (await OrderTransitions.ClaimForRefundAsync(db, order.Id, ct))
        {
            var remaining = await db.Tickets.CountAsync(t => t.OrderId == order.Id && t.Status == TicketStatus.Valid, ct);
            var used = await db.Tickets.AnyAsync(t => t.OrderId == order.Id && t.Status == TicketStatus.Used, ct);
            var status = remaining == 0 && !used ? OrderStatus.Refunded : OrderStatus.PartiallyRefunded;
            await OrderTransitions.SettleRefundAsync(db, order.Id, status, now, ct);
            if (payment is not null && status == OrderStatus.Refunded)
            {
                payment.Status = PaymentStatus.Refunded;
                payment.RefundedAt = now;
            }
        }
        if (amount > 0)
        {
            var receipt = await db.Receipts.AsNoTracking().Where(r => r.OrderId == order.Id && r.Kind == ReceiptKind.Receipt)
                .Select(r => new { r.Number, r.Method }).FirstOrDefaultAsync(ct);
            var rate = order.Items.FirstOrDefault(i => i.CategoryId == listing.CategoryId)?.VatRateBasisPoints ?? VatRates.DefaultBasisPoints;
            var notes = await ReceiptIssuer.IssueAsync(db, ReceiptKind.CreditNote,
                [new ReceiptRequest(order, amount, VatBreakdown.Of([(amount, rate)]), receipt?.Method ?? payment?.Provider ?? "", order.BuyerName, receipt?.Number)],
                now, ct);
            creditNote = notes[0].Number;
        }
        var seller = await db.Users.FirstOrDefaultAsync(u => u.Id == order.UserId, ct);
        if (seller is not null && seller.DeletedAt is null && !await db.Notifications.AnyAsync(n => n.OrderId == order.Id && n.Kind == NotificationKind.OrderRefunded, ct))
            Outbox.Enqueue(db, order, seller, NotificationKind.OrderRefunded, now);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Seller of resale listing {ListingId} refunded {Amount} minor units on order {OrderId} (credit note {CreditNote})",
            listingId, amount, order.Id, creditNote);
        return true;
    }
}
