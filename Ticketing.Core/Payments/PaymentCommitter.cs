using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Ticketing.Core.Accounts;
using Ticketing.Core.Common;
using Ticketing.Core.Inventory;
using Ticketing.Core.Notifications;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;
using Ticketing.Core.Tickets;

namespace Ticketing.Core.Payments;

public enum IssueOutcome { Issued, AlreadySettled, NotCompletable }

/// <summary>An approved charge to turn into tickets: the order as read before the charge, its buyer and its ticket prefix.</summary>
public sealed record IssueItem(Guid PaymentId, Order Order, ChargeResult Charge, OrderStatus From, AppUser? Buyer, string Prefix)
{
    /// <summary>The request's <c>Idempotency-Key</c>, recorded in the sale's transaction (null without a key).</summary>
    public KeyedWrite? Keyed { get; init; }

    /// <summary>What the API answers once the tickets are issued (the key's record replays it).</summary>
    public Func<IReadOnlyList<Ticket>, object>? AnswerOf { get; init; }
}

public sealed record IssueResult(IssueOutcome Outcome, List<Ticket>? Tickets);

/// <summary>
/// The payment's two writes, group-committed per performance (<see cref="GroupCommit{TItem,TResult}"/>): the Pending rows
/// written before the gateway is called, and the sale transaction after an approval. A batch of sales is ONE
/// transaction: each payment Pending -> Approved and its order Reserved -> Paid (conditional, per row), then ONE ticket
/// number range per performance, the tickets and the confirmations, and ONE held -> sold move per category — the hot
/// rows last, locked once for the whole batch. In a batch the payments are approved by one conditional statement and
/// the orders move to Paid in the same SaveChanges as the tickets, guarded by their version (a few round trips per
/// batch, not per sale). An irregular item (its order changed meanwhile, seats no longer there)
/// makes the batch run again item by item, where it is rolled back alone exactly as a single sale would be.
/// </summary>
public sealed class PaymentCommitter
{
    private readonly IDbContextFactory<TicketingDbContext> _dbFactory;
    private readonly TimeProvider _clock;
    private readonly SeatInventory _seats;
    private readonly int _feeBasisPoints;
    private readonly GroupCommit<Payment, bool> _pending;
    private readonly GroupCommit<IssueItem, IssueResult> _sales;
    private readonly IServiceScopeFactory _scopes;

    public PaymentCommitter(IDbContextFactory<TicketingDbContext> dbFactory, TimeProvider clock, SeatInventory seats, IOptions<OrderOptions> options,
        IOptions<Receipts.ReceiptOptions> receipts, IServiceScopeFactory scopes)
    {
        _scopes = scopes;
        _feeBasisPoints = receipts.Value.BookingFeeBasisPoints;
        _dbFactory = dbFactory;
        _clock = clock;
        _seats = seats;
        _pending = InsertBatch.Create<Payment>(dbFactory, options.Value.GroupCommitMaxBatch);
        _sales = new GroupCommit<IssueItem, IssueResult>(IssueBatchAsync, options.Value.GroupCommitMaxBatch);
    }

    /// <summary>Commits the Pending payment (a <see cref="DbUpdateException"/> when the order already has an active one).</summary>
    public Task InsertPendingAsync(Guid performanceId, Payment payment) => _pending.RunAsync(performanceId, payment);

    /// <summary>Issues the tickets of an approved charge, with the other sales of its performance that arrive meanwhile.</summary>
    public async Task<IssueResult> IssueAsync(IssueItem item)
    {
        if (item.Order.ResaleListingId is not { } listingId) return await _sales.RunAsync(item.Order.PerformanceId, item);
        // A resale purchase: alone (no seat moves), then the seller's refund (a failure is left to the repair).
        var result = await IssueResaleAsync(item);
        if (result.Outcome == IssueOutcome.Issued)
        {
            // The gateway may be scoped (Stripe): the settlement is resolved in a scope of its own.
            await using var scope = _scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<Resale.ResaleSettlement>().RefundSellerAsync(listingId);
        }
        return result;
    }

    /// <summary>
    /// A resale purchase, in one transaction: payment Approved, order Paid, then <see cref="Resale.ResaleSale"/> (listing
    /// Sold, old ticket Voided, new ticket issued), the buyer's receipt and confirmation. No seat counter moves.
    /// </summary>
    private async Task<IssueResult> IssueResaleAsync(IssueItem item)
    {
        var now = _clock.GetUtcNow();
        await using var db = await _dbFactory.CreateDbContextAsync();
        await using var tx = await db.Database.BeginTransactionAsync();
        if (await ApproveAloneAsync(db, tx, item, now) is { } settled) return settled;
        var ticket = await Resale.ResaleSale.CompleteAsync(db, item.Order, Holder(item), item.Prefix, now);
        if (ticket is null)
        {
            await tx.RollbackAsync();
            return new IssueResult(IssueOutcome.NotCompletable, null);
        }
        if (item.Buyer is not null) Outbox.Enqueue(db, item.Order, item.Buyer, NotificationKind.OrderConfirmed, now);
        await IssueReceiptsAsync(db, [item], _feeBasisPoints, now);
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return new IssueResult(IssueOutcome.Issued, [ticket]);
    }

    /// <summary>The sale transaction for one or many approved charges (a batch of one is also what the recovery runs).</summary>
    internal async Task<IReadOnlyList<IssueResult>> IssueBatchAsync(IReadOnlyList<IssueItem> items)
    {
        if (items is [{ Order.ResaleListingId: not null } resale]) return [await IssueResaleAsync(resale)];
        var now = _clock.GetUtcNow();
        var alone = items.Count == 1;
        await using var db = await _dbFactory.CreateDbContextAsync();
        await using var tx = await db.Database.BeginTransactionAsync();

        if (alone)
        {
            if (await ApproveAloneAsync(db, tx, items[0], now) is { } settled) return [settled];
        }
        else
        {
            await ApprovePaymentsAsync(db, items, now);
            ApproveInBatch(db, items, now);
        }

        // A guest order's buyer has no account: its confirmation goes to the address given at checkout.
        var guests = await Guests.GuestBuyers.ForAsync(db, items.Where(i => i.Buyer is null).Select(i => i.Order));
        // Ticket numbers: one range per performance (UPDATE ... RETURNING), then the tickets and the confirmations.
        var tickets = new List<Ticket>[items.Count];
        foreach (var performance in Enumerable.Range(0, items.Count).GroupBy(i => items[i].Order.PerformanceId).OrderBy(g => g.Key))
        {
            var performanceId = performance.Key;
            var quantity = performance.Sum(i => items[i].Order.Items.Sum(l => l.Quantity));
            var last = (await db.Database.SqlQuery<int>(
                    $"UPDATE \"Performances\" SET \"LastTicketNumber\" = \"LastTicketNumber\" + {quantity} WHERE \"Id\" = {performanceId} RETURNING \"LastTicketNumber\" AS \"Value\"")
                .ToListAsync()).Single();
            var sequence = last - quantity;
            foreach (var index in performance)
            {
                var item = items[index];
                var order = item.Order;
                var holder = Holder(item);
                var issued = new List<Ticket>(order.TotalQuantity);
                foreach (var line in order.Items.OrderBy(i => i.CategoryId))
                {
                    for (var n = 0; n < line.Quantity; n++)
                    {
                        sequence++;
                        var ticket = new Ticket
                        {
                            Id = Guid.CreateVersion7(), OrderId = order.Id, UserId = order.UserId, EventId = order.EventId,
                            PerformanceId = performanceId, CategoryId = line.CategoryId, Sequence = sequence,
                            Number = $"{item.Prefix}-{sequence:D6}", CategoryName = line.CategoryName, HolderName = holder,
                            PriceMinor = line.UnitNetPriceMinor, Currency = order.Currency, Status = TicketStatus.Valid, IssuedAt = now,
                            SeatId = line.SeatId, SeatSection = line.SeatSection, SeatRow = line.SeatRow, SeatLabel = line.SeatLabel,
                        };
                        db.Tickets.Add(ticket);
                        issued.Add(ticket);
                    }
                }
                if ((item.Buyer ?? guests?.GetValueOrDefault(order.Id)) is { } buyer) Outbox.Enqueue(db, order, buyer, NotificationKind.OrderConfirmed, now);
                tickets[index] = issued;
            }
        }
        // Receipts (numbered gapless per organizer and year, in this transaction): see Receipts/ReceiptIssuer.
        await IssueReceiptsAsync(db, items, _feeBasisPoints, now);
        await db.SaveChangesAsync();
        // The keys' records with their sales: one commit for both (before the hot rows).
        var records = await KeyedWrite.AddAsync(db, Enumerable.Range(0, items.Count).Where(i => items[i].Keyed is not null)
            .Select(i => (items[i].Keyed!, items[i].Keyed!.RecordOf(items[i].AnswerOf!(tickets[i]), now))).ToList());

        // The seats: held -> sold (or re-acquired, for an order whose hold ended), one conditional UPDATE per category.
        var sales = items.SelectMany(s => s.Order.Items.Select(l => s.From == OrderStatus.Reserved
            ? new SeatSale(l.CategoryId, l.Quantity, 0) : new SeatSale(l.CategoryId, 0, l.Quantity)));
        // Reserved seating: the orders' seats Held -> Sold (or taken anew) first, in the same transaction.
        var seatsSold = await _seats.TrySellSeatsAsync(db, items.Select(i => (i.Order, i.From == OrderStatus.Reserved)));
        if ((seatsSold ? await _seats.TrySellAsync(db, sales) : Guid.Empty) is { } shortId)
        {
            if (!alone) throw new SplitBatchException($"Category {shortId} could not sell its seats.");
            await tx.RollbackAsync();
            return [new IssueResult(IssueOutcome.NotCompletable, null)];
        }
        await tx.CommitAsync();
        KeyedWrite.Committed(records);
        return tickets.Select(issued => new IssueResult(IssueOutcome.Issued, issued)).ToList();
    }

    /// <summary>
    /// One sale alone: payment Pending -> Approved, then order -> Paid (conditional on its status and version). Null
    /// when both moved; otherwise what happened, with nothing of it written.
    /// </summary>
    private static async Task<IssueResult?> ApproveAloneAsync(TicketingDbContext db, IDbContextTransaction tx, IssueItem item, DateTimeOffset now)
    {
        var (paymentId, order, charge, from) = (item.PaymentId, item.Order, item.Charge, item.From);
        var approved = await db.Payments.Where(p => p.Id == paymentId && p.Status == PaymentStatus.Pending).ExecuteUpdateAsync(s => s
            .SetProperty(p => p.Status, PaymentStatus.Approved)
            .SetProperty(p => p.GatewayReference, charge.GatewayReference)
            .SetProperty(p => p.CardBrand, p => charge.CardBrand ?? p.CardBrand)
            .SetProperty(p => p.CardLast4, p => charge.Last4 ?? p.CardLast4)
            .SetProperty(p => p.CompletedAt, now));
        // Settled by someone else (the recovery, a refund).
        if (approved == 0) return new IssueResult(IssueOutcome.AlreadySettled, null);

        var version = order.Version;
        var holder = Holder(item);
        var paid = await OrderTransitions.PayAsync(db, order.Id, from, version, holder, now);
        if (paid) return null;

        await tx.RollbackAsync();
        var current = await db.Orders.AsNoTracking().Where(o => o.Id == order.Id).Select(o => o.Status).FirstAsync();
        // Reserved with another version cannot happen (only transitions bump it); anything else is an ended hold.
        return new IssueResult(current == OrderStatus.Paid ? IssueOutcome.AlreadySettled : IssueOutcome.NotCompletable, null);
    }

    /// <summary>
    /// A batch: every payment Pending -> Approved in ONE conditional statement; any payment settled meanwhile (or the
    /// same one twice) makes the batch run again item by item, where it is answered exactly.
    /// </summary>
    private static async Task ApprovePaymentsAsync(TicketingDbContext db, IReadOnlyList<IssueItem> items, DateTimeOffset now)
    {
        var ids = items.Select(i => i.PaymentId).Distinct().ToList();
        if (ids.Count != items.Count) throw new SplitBatchException("The same payment twice in one batch.");
        var approved = await db.Payments.Where(p => ids.Contains(p.Id) && p.Status == PaymentStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(p => p.Status, PaymentStatus.Approved).SetProperty(p => p.CompletedAt, now));
        if (approved != ids.Count) throw new SplitBatchException("A payment of the batch was settled meanwhile.");
    }

    /// <summary>
    /// The rest of each sale's rows, written with the tickets in the batch's one SaveChanges: the gateway's reference,
    /// brand and last four on the (now Approved, locked) payment, and the order Reserved -> Paid guarded by its
    /// concurrency token (the version read before the charge; only transitions bump it). A changed order fails the
    /// SaveChanges (DbUpdateConcurrencyException), and the batch runs again item by item.
    /// </summary>
    private static void ApproveInBatch(TicketingDbContext db, IReadOnlyList<IssueItem> items, DateTimeOffset now)
    {
        foreach (var item in items)
        {
            var payment = new Payment { Id = item.PaymentId };
            db.Payments.Attach(payment);
            var p = db.Entry(payment);
            payment.GatewayReference = item.Charge.GatewayReference;
            p.Property(x => x.GatewayReference).IsModified = true;
            if (item.Charge.CardBrand is { } brand)
            {
                payment.CardBrand = brand;
                p.Property(x => x.CardBrand).IsModified = true;
            }
            if (item.Charge.Last4 is { } last4)
            {
                payment.CardLast4 = last4;
                p.Property(x => x.CardLast4).IsModified = true;
            }

            if (!OrderTransitions.Allows(item.From, OrderStatus.Paid)) throw new SplitBatchException($"Order {item.Order.Id} cannot be paid from {item.From}.");
            var order = new Order { Id = item.Order.Id, Version = item.Order.Version, Status = item.From };
            db.Orders.Attach(order);
            order.MarkPaid(now, Holder(item));
            var o = db.Entry(order);
            o.Property(x => x.Status).IsModified = true;
            o.Property(x => x.PaidAt).IsModified = true;
            o.Property(x => x.ClosedAt).IsModified = true;
            o.Property(x => x.BuyerName).IsModified = true;
            o.Property(x => x.Version).IsModified = true;
        }
    }

    private static async Task IssueReceiptsAsync(TicketingDbContext db, IReadOnlyList<IssueItem> items, int feeBasisPoints, DateTimeOffset now)
    {
        var paymentIds = items.Select(i => i.PaymentId).ToList();
        var providers = await db.Payments.AsNoTracking().Where(p => paymentIds.Contains(p.Id))
            .Select(p => new { p.Id, p.Provider }).ToDictionaryAsync(p => p.Id, p => p.Provider);
        await Receipts.ReceiptIssuer.IssueForSalesAsync(db,
            items.Select(i => (i.Order, providers.GetValueOrDefault(i.PaymentId, ""), Holder(i))).ToList(), feeBasisPoints, now);
    }

    private static string Holder(IssueItem item) =>
        item.Buyer?.DisplayName is { Length: > 0 } name ? name : item.Order.BuyerName;
}
