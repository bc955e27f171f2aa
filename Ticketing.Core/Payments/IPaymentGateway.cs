namespace Ticketing.Core.Payments;

public sealed record CardDetails(string Number, int ExpiryMonth, int ExpiryYear, string Cvc, string CardholderName);

/// <param name="AttemptKey">The gateway idempotency key of this attempt (our payment id): a retry of the same attempt replays its
/// answer, a new attempt after a decline is a new charge. Null: the order id (one charge per order).</param>
public sealed record ChargeRequest(Guid OrderId, long AmountMinor, string Currency, CardDetails Card, string Description, string? AttemptKey = null);

/// <summary>DeclineCode is one of: card_declined, insufficient_funds, card_expired, invalid_card (null when approved).</summary>
public sealed record ChargeResult(bool Approved, string? GatewayReference, string? CardBrand, string? Last4, string? DeclineCode);

public sealed record RefundResult(bool Succeeded, string? GatewayReference, string? Error);

public interface IPaymentGateway
{
    string Name { get; }
    /// Charges once per attempt key (default: the OrderId); an order with an approved charge is never charged again.
    Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken);
    /// Looks up what the gateway knows about the charge of this order (crash recovery); null when it never saw it.
    Task<ChargeResult?> FindChargeAsync(Guid orderId, CancellationToken cancellationToken);
    Task<RefundResult> RefundAsync(Guid orderId, string gatewayReference, long amountMinor, string currency, CancellationToken cancellationToken);
    /// Refunds part of the charge, once per <paramref name="refundKey"/> (a partial refund: some tickets of the order).
    /// A gateway that cannot refund in parts refunds through <see cref="RefundAsync"/>.
    Task<RefundResult> RefundPartAsync(Guid orderId, string gatewayReference, long amountMinor, string currency, string refundKey,
        CancellationToken cancellationToken) => RefundAsync(orderId, gatewayReference, amountMinor, currency, cancellationToken);
    /// What partial refunds of the charge gave back so far, when the gateway's ledger tells (the refund repair compares
    /// it with the credit notes); null: unknown, the repair calls <see cref="RefundPartAsync"/> again with the same key.
    Task<long?> RefundedPartsMinorAsync(Guid orderId, string gatewayReference, CancellationToken cancellationToken) => Task.FromResult<long?>(null);
}
