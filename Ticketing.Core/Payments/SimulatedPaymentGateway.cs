using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Ticketing.Core.Common;
using Ticketing.Core.Orders;
using Ticketing.Core.Persistence;

namespace Ticketing.Core.Payments;

/// <summary>
/// The offline acquirer of the contract's test cards. Like a real gateway it keeps its own ledger (the SimulatedCharges
/// table): the same attempt key replays the first answer, an order with an approved charge is never charged again
/// (unique filtered index), and <see cref="FindChargeAsync"/> tells the recovery what happened. Never keeps the card
/// number or the CVC: only the brand and the last four digits.
/// </summary>
public sealed class SimulatedPaymentGateway(
    IDbContextFactory<TicketingDbContext> dbFactory,
    IOptions<PaymentOptions> options,
    IOptions<OrderOptions> orderOptions,
    TimeProvider clock,
    ILogger<SimulatedPaymentGateway> logger) : IPaymentGateway
{
    // The ledger's writes are group-committed like ours (one lane: it is one acquirer), so that the simulator does not
    // add an fsync per sale that a real gateway, on its own machines, would not cost us.
    private readonly GroupCommit<SimulatedCharge, bool> _ledger =
        InsertBatch.Create<SimulatedCharge>(dbFactory, orderOptions.Value.GroupCommitMaxBatch, lanes: 1);

    public string Name => "simulated";

    public async Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await DelayAsync(cancellationToken);
        var key = string.IsNullOrEmpty(request.AttemptKey) ? "order:" + request.OrderId.ToString("N") : request.AttemptKey;
        var digits = CardValidator.Digits(request.Card.Number);
        var decline = CardValidator.Check(request.Card, clock.GetUtcNow()) ?? digits switch
        {
            "4000000000000002" => "card_declined",
            "4000000000009995" => "insufficient_funds",
            "4000000000000069" => "card_expired",
            _ => null,
        };
        if (decline is not null)
        {
            // A decline is written only when the ledger knows nothing better for this attempt or order (a replayed
            // attempt answers its first outcome; an order already charged answers that charge).
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            if (await KnownAsync(db, request.OrderId, key, cancellationToken) is { } earlier) return ToResult(earlier);
        }
        // An approval is written first and read back only on a conflict: the attempt key (primary key) and the order's
        // one approved charge (unique filtered index) make a replay or a second approval fail the insert, and the
        // ledger then answers what it holds. The common case costs the ledger one row and no read.
        var charge = new SimulatedCharge
        {
            AttemptKey = key,
            OrderId = request.OrderId,
            Reference = "sim_ch_" + Guid.NewGuid().ToString("N"),
            Approved = decline is null,
            DeclineCode = decline,
            Brand = CardValidator.Brand(digits),
            Last4 = CardValidator.Last4(digits),
            AmountMinor = request.AmountMinor,
            Currency = request.Currency,
            CreatedAt = clock.GetUtcNow(),
        };
        try
        {
            await _ledger.RunAsync(Guid.Empty, charge);
        }
        catch (DbUpdateException)
        {
            // A replayed attempt, or the order already charged: answer what the ledger holds.
            await using var again = await dbFactory.CreateDbContextAsync(cancellationToken);
            var known = await KnownAsync(again, request.OrderId, key, cancellationToken)
                        ?? throw new InvalidOperationException("Simulated ledger conflict without a stored charge.");
            return ToResult(known);
        }
        logger.LogInformation("Simulated charge {Reference} for order {OrderId}: {Outcome} {DeclineCode}",
            charge.Reference, request.OrderId, charge.Approved ? "approved" : "declined", decline);
        return ToResult(charge);
    }

    public async Task<ChargeResult?> FindChargeAsync(Guid orderId, CancellationToken cancellationToken)
    {
        await DelayAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var charges = await db.SimulatedCharges.AsNoTracking().Where(c => c.OrderId == orderId).ToListAsync(cancellationToken);
        var charge = charges.FirstOrDefault(c => c.Approved && !c.Refunded) ?? charges.MaxBy(c => c.CreatedAt);
        if (charge is null) return null;
        // A refunded charge is no longer money taken.
        return charge.Refunded ? new ChargeResult(false, charge.Reference, charge.Brand, charge.Last4, null) : ToResult(charge);
    }

    public async Task<RefundResult> RefundAsync(Guid orderId, string gatewayReference, long amountMinor, string currency, CancellationToken cancellationToken)
    {
        await DelayAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var charge = await db.SimulatedCharges.FirstOrDefaultAsync(c => c.OrderId == orderId && c.Reference == gatewayReference, cancellationToken);
        if (charge is null || !charge.Approved) return new RefundResult(false, null, "charge_not_found");
        if (!charge.Refunded)
        {
            await db.SimulatedCharges.Where(c => c.AttemptKey == charge.AttemptKey)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Refunded, true), cancellationToken);
            logger.LogInformation("Simulated refund of {Reference} for order {OrderId}", gatewayReference, orderId);
        }
        return new RefundResult(true, "sim_re_" + charge.Reference[7..], null);
    }

    /// <summary>A partial refund: the charge's refunded amount grows, never beyond the charge (conditional update).</summary>
    public async Task<RefundResult> RefundPartAsync(Guid orderId, string gatewayReference, long amountMinor, string currency, string refundKey,
        CancellationToken cancellationToken)
    {
        await DelayAsync(cancellationToken);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var charge = await db.SimulatedCharges.AsNoTracking().FirstOrDefaultAsync(c => c.OrderId == orderId && c.Reference == gatewayReference, cancellationToken);
        if (charge is null || !charge.Approved || charge.Refunded) return new RefundResult(false, null, "charge_not_found");
        var done = await db.SimulatedCharges.Where(c => c.AttemptKey == charge.AttemptKey && c.RefundedMinor + amountMinor <= c.AmountMinor)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.RefundedMinor, c => c.RefundedMinor + amountMinor), cancellationToken);
        if (done == 0) return new RefundResult(false, null, "amount_too_large");
        logger.LogInformation("Simulated partial refund {RefundKey} of {Reference} for order {OrderId}", refundKey, gatewayReference, orderId);
        return new RefundResult(true, "sim_re_" + refundKey, null);
    }

    /// <summary>The ledger's refunded parts (a partial refund is not idempotent here: the repair asks before refunding again).</summary>
    public async Task<long?> RefundedPartsMinorAsync(Guid orderId, string gatewayReference, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.SimulatedCharges.AsNoTracking().Where(c => c.OrderId == orderId && c.Reference == gatewayReference && c.Approved)
            .Select(c => (long?)c.RefundedMinor).FirstOrDefaultAsync(cancellationToken);
    }

    private Task DelayAsync(CancellationToken ct) =>
        options.Value.Simulated.DelayMilliseconds is > 0 and var ms ? Task.Delay(ms, ct) : Task.CompletedTask;

    private static Task<SimulatedCharge?> KnownAsync(TicketingDbContext db, Guid orderId, string key, CancellationToken ct) =>
        db.SimulatedCharges.AsNoTracking()
            .Where(c => c.AttemptKey == key || (c.OrderId == orderId && c.Approved && !c.Refunded))
            .OrderByDescending(c => c.Approved).FirstOrDefaultAsync(ct);

    private static ChargeResult ToResult(SimulatedCharge c) => new(c.Approved, c.Reference, c.Brand, c.Last4, c.DeclineCode);
}
