namespace Ticketing.Core.Payments;

public enum CheckoutSessionStatus { Open, Completed, Expired }

/// <summary>
/// A hosted payment page opened for a held order (a Stripe Checkout Session, or the app's simulated page). The provider's
/// session id is the key; at most one Open session per order. Holds no card data: the fan types the card on the provider's page.
/// </summary>
public sealed class CheckoutSession
{
    public string Id { get; set; } = "";
    public Guid OrderId { get; set; }
    public string Provider { get; set; } = "";
    public CheckoutSessionStatus Status { get; set; }
    public long AmountMinor { get; set; }
    public string Currency { get; set; } = "EUR";
    public string RedirectUrl { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
}
