namespace Ticketing.Core.Payments;

public sealed record CardDetails(string Number, int ExpiryMonth, int ExpiryYear, string Cvc, string CardholderName);

public sealed record ChargeRequest(Guid OrderId, long AmountMinor, string Currency, CardDetails Card, string Description);

/// <summary>DeclineCode is one of: card_declined, insufficient_funds, card_expired, invalid_card (null when approved).</summary>
public sealed record ChargeResult(bool Approved, string? GatewayReference, string? CardBrand, string? Last4, string? DeclineCode);

public sealed record RefundResult(bool Succeeded, string? GatewayReference, string? Error);

public interface IPaymentGateway
{
    string Name { get; }
    /// Charges once per OrderId: calling again with the same OrderId must never charge twice (idempotency on the gateway).
    Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken);
    /// Looks up what the gateway knows about the charge of this order (crash recovery); null when it never saw it.
    Task<ChargeResult?> FindChargeAsync(Guid orderId, CancellationToken cancellationToken);
    Task<RefundResult> RefundAsync(Guid orderId, string gatewayReference, long amountMinor, string currency, CancellationToken cancellationToken);
}
