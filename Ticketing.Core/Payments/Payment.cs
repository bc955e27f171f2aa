namespace Ticketing.Core.Payments;

public enum PaymentStatus { Pending, Approved, Declined, Refunded, Voided }

/// <summary>One charge attempt. Only the brand, the last four digits and the gateway's reference are kept, never the card number or CVC.</summary>
public sealed class Payment
{
    public Guid Id { get; set; }
    public Guid OrderId { get; set; }
    public string Provider { get; set; } = "";
    public PaymentStatus Status { get; set; }
    public long AmountMinor { get; set; }
    public string Currency { get; set; } = "EUR";
    public string? CardBrand { get; set; }
    public string? CardLast4 { get; set; }
    public string? GatewayReference { get; set; }
    public string? DeclineCode { get; set; }
    public string? RefundReference { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public DateTimeOffset? RefundedAt { get; set; }
}
